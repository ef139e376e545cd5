"""Read YAML and remember the line of every key and list entry, so a problem can name the exact line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class YamlError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class LinedYaml:
    data: Any
    lines: dict[Path_, int]

    def line(self, *path: str | int) -> int:
        """The line of the deepest part of `path` that exists (a missing key blames its parent)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, key.value)
                lines[child] = key.start_mark.line + 1
                _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            child = (*path, index)
            lines[child] = value.start_mark.line + 1
            _walk(value, child, lines)


def load_lined(text: str) -> LinedYaml:
    """Parse `text` (safe loader); raises YamlError with the line of a syntax error."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(f"ugyldig YAML: {getattr(exc, 'problem', None) or exc}", mark.line + 1 if mark else 1) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LinedYaml(data, lines)
