"""Reading /proc for the benchmark: the listening process, the process tree and peak memory (bench.procfs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from bench.procfs import (
    CpuSnapshot,
    cpu_cores_used,
    descendants,
    is_running,
    listening_inodes,
    listening_pid,
    machine_busy_ticks,
    parent_pid,
    peak_rss_kb,
    process_cpu_ticks,
    vm_hwm_kb,
)

TCP_TABLE = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1
   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2222 1
   2: 0100007F:13AD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1
"""


def test_listening_inodes_takes_only_listening_sockets_on_the_port() -> None:
    assert listening_inodes(TCP_TABLE, 8080) == {"1111"}  # 0x1F90; the established connection is not counted
    assert listening_inodes(TCP_TABLE, 5037) == {"3333"}
    assert listening_inodes(TCP_TABLE, 9999) == set()


def test_parent_pid_survives_odd_command_names() -> None:
    assert parent_pid("4242 (python -m (x) y) S 17 4242 4242 0 -1") == 17


def test_vm_hwm() -> None:
    status = "Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"
    assert vm_hwm_kb(status) == 123456
    assert vm_hwm_kb("Name:\tkthreadd\n") is None


def test_finds_the_child_that_listens_and_its_peak_memory() -> None:
    code = (
        "import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); "
        "print(s.getsockname()[1], flush=True); time.sleep(30)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        port = int(child.stdout.readline())
        assert child.pid in descendants(os.getpid())
        assert listening_pid(os.getpid(), port) == child.pid
        assert (peak_rss_kb(child.pid) or 0) > 1000
    finally:
        child.kill()
        child.wait()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        assert listening_pid(os.getpid(), unused.getsockname()[1]) is None  # bound, not listening


def test_cpu_ticks_from_proc_stat() -> None:
    stat = "4242 (rasa run) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 50 0 0 20 0 30 0 12345"
    assert process_cpu_ticks(stat) == 750
    machine = "cpu  100 5 20 1000 30 1 2 3 0 0\ncpu0 50 2 10 500 15 0 1 1 0 0\n"
    assert machine_busy_ticks(machine) == 100 + 5 + 20 + 1 + 2 + 3  # idle and iowait left out


def test_cpu_cores_used_splits_the_machine_by_who_was_busy() -> None:
    before = CpuSnapshot(at=0.0, machine_ticks=0, process_ticks={10: 0, 11: 100}, own_seconds=1.0)
    after = CpuSnapshot(at=10.0, machine_ticks=1800, process_ticks={10: 1000, 11: 300, 99: 5000}, own_seconds=2.0)
    used = cpu_cores_used(before, after, main_pid=10, hz=100)
    assert used == {
        "rasa": 1.0,  # 10 s of CPU in 10 s
        "assistant_other_processes": 0.2,  # pid 11; pid 99 appeared meanwhile and is not counted
        "load_generator": 0.1,
        "rest_of_machine": 0.5,  # 18 busy seconds - 10 - 2 - 1
        "machine_busy": 1.8,
    }


def test_is_running_treats_a_zombie_as_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while is_running(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # it exits at once but stays a zombie until we wait for it
    assert not is_running(child.pid)
    assert child.poll() is not None
    assert is_running(os.getpid())
