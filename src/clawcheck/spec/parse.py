"""Read one YAML or JSON file into plain JSON-shaped data, or raise a one-line SpecError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from clawcheck.errors import SpecError

__all__ = ["not_found_message", "read_document"]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader that yields what a JSON parser would: string keys, dates kept as strings."""


# Unquoted dates must stay strings: `example: 2026-03-19T08:30:00Z` is a string in JSON,
# and a datetime object would fail `type: string` in the validator.
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _key_text(key: object) -> str:
    # `404:` loads as an int; OpenAPI keys are strings, and the validator rejects int keys.
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


def _construct_mapping(loader: _SpecLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[str] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
            if key_node.value in seen:
                # PyYAML silently keeps the last one, which hides a path or an operation.
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                )
            seen.add(key_node.value)
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _key_text(loader.construct_object(key_node, deep=True))
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_SpecLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def not_found_message(path: Path) -> str:
    return f"spec not found: {path}; pass an existing file or run from the project root"


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SpecError(not_found_message(path)) from exc
    except IsADirectoryError as exc:
        raise SpecError(f"{path} is a directory; pass a spec file (.yaml, .yml or .json)") from exc
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror}; check that the file is readable") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from exc


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise ValueError(f"duplicate key {key!r}")
        mapping[key] = value
    return mapping


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); fix the syntax there"
        ) from exc
    except ValueError as exc:
        raise SpecError(f"{path}: not valid JSON ({exc}); remove the repeated key") from exc


def _parse_yaml(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SpecLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = exc.problem or exc.context or "syntax error"
        raise SpecError(f"{where}: not valid YAML ({problem}); fix the syntax there") from exc
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(f"{path}: not valid YAML ({first_line}); fix the syntax") from exc


def read_document(path: Path) -> Any:
    """Parse `path` as JSON when it ends in `.json`, else as YAML (which also reads most JSON)."""
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        return _parse_json(path, text)
    return _parse_yaml(path, text)
