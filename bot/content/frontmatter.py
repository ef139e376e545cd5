"""Split a Markdown file with YAML front matter into its metadata and body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class FrontMatterError(ValueError):
    """The file has no front matter, or it is not a YAML mapping."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts, for error messages


def parse_front_matter(text: str) -> Document:
    """Parse `---\\n<yaml>\\n---\\n<body>`; the YAML must be a mapping."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("filen må starte med '---' (front matter)", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError("front matter mangler avsluttende '---'", len(lines)) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FrontMatterError(f"ugyldig YAML: {exc}", (mark.line + 2) if mark else 1) from None
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter må være en YAML-mapping", 2)
    return Document(meta=meta, body="\n".join(lines[end + 1 :]).strip(), body_line=end + 2)
