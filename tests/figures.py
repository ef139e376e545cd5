"""Figures that tests measure (development and held-out), printed together at the end of the pytest run."""

from __future__ import annotations

FIGURES: dict[str, list[tuple[str, str]]] = {}


def record_figure(table: str, name: str, value: str) -> None:
    FIGURES.setdefault(table, []).append((name, value))


def summary_lines() -> list[str]:
    lines: list[str] = []
    for table, rows in FIGURES.items():
        lines.append(table)
        lines += [f"  {name:<48} {value}" for name, value in rows]
    return lines
