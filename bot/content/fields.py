"""Small readers shared by every validator of files under content/: dates, and paths as people see them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def as_date(value: Any) -> date | None:
    """A YAML date or an ISO string as a date; None when it is neither."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def display_path(path: Path) -> str:
    """The path relative to the project root when it is inside it (what error messages show)."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
