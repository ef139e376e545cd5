"""What Linux's /proc says about our processes: who listens on a port, the tree, peak memory and CPU time.

psutil is not in the venv; these few reads of /proc are all the benchmark needs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_TCP_LISTEN = "0A"


def listening_inodes(tcp_table: str, port: int) -> set[str]:
    """Socket inodes in a /proc/net/tcp or tcp6 table that listen on ``port``."""
    inodes = set()
    for line in tcp_table.splitlines()[1:]:  # the first line is the header
        fields = line.split()
        if len(fields) < 10:
            continue
        local, state, inode = fields[1], fields[3], fields[9]
        if state == _TCP_LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
            inodes.add(inode)
    return inodes


def parent_pid(stat_text: str) -> int:
    """The parent pid from /proc/<pid>/stat (the command name in parentheses may hold spaces and ')')."""
    return int(stat_text.rsplit(")", 1)[1].split()[1])


def vm_hwm_kb(status_text: str) -> int | None:
    """VmHWM (peak resident set, kB) from /proc/<pid>/status; None for a kernel thread or zombie."""
    for line in status_text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def descendants(root: int, proc: Path = PROC) -> list[int]:
    """``root`` and every process below it, root first."""
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(parent_pid((entry / "stat").read_text()), []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue  # exited while we looked
    found, queue = [], [root]
    while queue:
        pid = queue.pop(0)
        found.append(pid)
        queue.extend(sorted(children.get(pid, [])))
    return found


def listening_pid(root: int, port: int, proc: Path = PROC) -> int | None:
    """The process in ``root``'s tree that holds the socket listening on ``port`` (Rasa's server)."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            inodes |= listening_inodes((proc / "net" / table).read_text(), port)
        except OSError:
            continue
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid in descendants(root, proc):
        try:
            fds = list((proc / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if str(fd.readlink()) in targets:
                    return pid
            except OSError:
                continue
    return None


def peak_rss_kb(pid: int, proc: Path = PROC) -> int | None:
    try:
        return vm_hwm_kb((proc / str(pid) / "status").read_text())
    except OSError:
        return None


def is_running(pid: int, proc: Path = PROC) -> bool:
    """True while ``pid`` runs; a zombie waiting for its parent counts as gone."""
    try:
        state = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def command_line(pid: int, proc: Path = PROC) -> str:
    try:
        return (proc / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def process_cpu_ticks(stat_text: str) -> int:
    """utime + stime (clock ticks) from /proc/<pid>/stat."""
    fields = stat_text.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_busy_ticks(stat_text: str) -> int:
    """Busy clock ticks of all CPUs together, from the first line of /proc/stat (everything but idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in stat_text.split()[1:9])
    return user + nice + system + irq + softirq + steal


@dataclass(frozen=True)
class CpuSnapshot:
    at: float  # time.monotonic()
    machine_ticks: int
    process_ticks: dict[int, int]
    own_seconds: float  # CPU time of this process: the load generator


def cpu_snapshot(pids: Iterable[int], proc: Path = PROC) -> CpuSnapshot:
    ticks = {}
    for pid in pids:
        try:
            ticks[pid] = process_cpu_ticks((proc / str(pid) / "stat").read_text())
        except OSError:
            continue
    own = os.times()
    return CpuSnapshot(time.monotonic(), machine_busy_ticks((proc / "stat").read_text()), ticks, own.user + own.system)


def cpu_cores_used(
    before: CpuSnapshot, after: CpuSnapshot, main_pid: int | None, hz: int = CLOCK_TICKS
) -> dict[str, float]:
    """Cores kept busy between two snapshots: the Rasa process, the assistant's other processes, the load
    generator, and the rest of the machine (other people's work on the shared cores shows up there)."""
    elapsed = after.at - before.at
    seconds = {
        pid: (ticks - before.process_ticks[pid]) / hz
        for pid, ticks in after.process_ticks.items()
        if pid in before.process_ticks
    }
    rasa = seconds.pop(main_pid, 0.0) if main_pid is not None else 0.0
    others = sum(seconds.values())
    generator = after.own_seconds - before.own_seconds
    machine = (after.machine_ticks - before.machine_ticks) / hz
    return {
        "rasa": round(rasa / elapsed, 2),
        "assistant_other_processes": round(others / elapsed, 2),
        "load_generator": round(generator / elapsed, 2),
        "rest_of_machine": round(max(0.0, machine - rasa - others - generator) / elapsed, 2),
        "machine_busy": round(machine / elapsed, 2),
    }
