"""Where the content database lives: SQLite by default, anything SQLAlchemy speaks via DATABASE_URL."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "samtale.db"


def database_url() -> str:
    """The configured database URL; the embedded default is a SQLite file under var/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style URLs say postgres://, which SQLAlchemy 1.4 no longer accepts.
        return url.replace("postgres://", "postgresql://", 1)
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None) -> Engine:
    return create_engine(url or database_url(), future=True, pool_pre_ping=True)
