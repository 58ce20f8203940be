"""Map JSON pointers to line numbers of a YAML/JSON file, for annotations that point at a line."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from clawcheck.spec.pointer import join

__all__ = ["line_index", "line_of"]


def line_index(path: Path) -> dict[str, int]:
    """1-based line of every key and list item, by pointer; empty if the file cannot be composed."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # line numbers are a convenience; the loader reports unreadable files
    if root is None:
        return {}
    lines: dict[str, int] = {"": root.start_mark.line + 1}
    stack: list[tuple[str, yaml.Node]] = [("", root)]
    visited: set[int] = set()  # aliases share nodes; the first place wins
    while stack:
        pointer, node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = join(pointer, key.value)
                    lines.setdefault(child, key.start_mark.line + 1)
                    stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = join(pointer, index)
                lines.setdefault(child, item.start_mark.line + 1)
                stack.append((child, item))
    return lines


def line_of(lines: Mapping[str, int], pointer: str) -> int | None:
    """The line of `pointer`, or of its nearest ancestor that exists in the file."""
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]
