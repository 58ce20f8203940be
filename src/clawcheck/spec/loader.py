"""Load an OpenAPI document and every file its `$ref`s reach; every `$ref` is checked on load.

After `load_spec` returns, each `$ref` in the spec resolves, so rules can follow references
without handling failures. Resolution never inlines anything: a recursive schema (`Node` with
`children: {items: {$ref: Node}}`) is fine, and only a chain of `$ref`s that never reaches a
real node (`A -> B -> A`) is an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from clawcheck.core.bundled import bundled_file
from clawcheck.errors import SpecError
from clawcheck.spec.parse import read_document
from clawcheck.spec.pointer import join, split, to_pointer

__all__ = [
    "LoadedSpec",
    "Resolved",
    "bundled_spec_path",
    "default_spec_paths",
    "is_ref",
    "load_spec",
]

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
# Values that are data, not OpenAPI objects: a `$ref` key inside them is not a reference
# (`examples` too, except an Example object that is itself a `$ref`).
_LITERAL_KEYS = frozenset({"example", "enum", "default", "const"})


@dataclass(slots=True, frozen=True)
class Resolved:
    """A node and where it lives: the file and the JSON pointer inside that file."""

    file: Path
    pointer: str
    node: Any


def is_ref(node: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def _where(pointer: str) -> str:
    return pointer or "the document root"


def _step(documents: dict[Path, Any], site: Resolved, *, fetch: bool) -> Resolved:
    """Follow the one `$ref` held by `site.node`; `fetch` loads files not yet in `documents`."""
    base, ref = site.file, site.node["$ref"]
    prefix = f"{base}: $ref {ref!r} at {_where(site.pointer)}"
    file_part, _, fragment = ref.partition("#")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", file_part):
        raise SpecError(f"{prefix} is remote; clawcheck does not fetch URLs: copy the file next to the spec")
    file = Path(os.path.normpath(base.parent / file_part)) if file_part else base
    if file not in documents:
        if not fetch or not file.is_file():
            raise SpecError(f"{prefix} does not resolve: file {file} not found; fix the path or add the file")
        documents[file] = read_document(file)
    try:
        tokens = split(fragment)
    except ValueError as exc:
        raise SpecError(f"{prefix} does not resolve: {exc}; write it as '#/components/...'") from exc
    node = documents[file]
    for depth, token in enumerate(tokens):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            in_file = "" if file == base else f" in {file}"
            missing = f"no {token!r} under {_where(to_pointer(tokens[:depth]))}{in_file}"
            raise SpecError(f"{prefix} does not resolve ({missing}); fix the reference or define the target")
    return Resolved(file, to_pointer(tokens), node)


def _chain(documents: dict[Path, Any], start: Resolved, *, fetch: bool) -> list[Resolved]:
    """`start` and every node its `$ref` chain passes through; the last one is not a `$ref`."""
    hops = [start]
    seen = {(start.file, start.pointer)}
    while is_ref(hops[-1].node):
        target = _step(documents, hops[-1], fetch=fetch)
        if (target.file, target.pointer) in seen:
            loop = " -> ".join(repr(hop.node["$ref"]) for hop in hops)
            raise SpecError(
                f"{start.file}: $ref cycle at {_where(start.pointer)}: {loop} leads back to itself; "
                "point one of them at a real definition"
            )
        seen.add((target.file, target.pointer))
        hops.append(target)
    return hops


def _ref_sites(file: Path, document: Any) -> Iterator[Resolved]:
    """Pointers of every mapping holding a `$ref`, skipping example and enum data."""
    stack: list[tuple[str, Any, str]] = [("", document, "")]
    visited: set[int] = set()  # YAML aliases share objects; visit each once
    while stack:
        pointer, node, key = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in visited:
                continue
            visited.add(id(node))
        if isinstance(node, dict):
            if is_ref(node):
                yield Resolved(file, pointer, node)
            for child_key, child in node.items():
                # `responses.default` is a Response and `properties.enum` a schema: both may $ref.
                literal = child_key in _LITERAL_KEYS and key not in ("responses", "properties")
                if literal or (key == "examples" and not is_ref(child)):
                    continue
                stack.append((join(pointer, child_key), child, child_key))
        elif isinstance(node, list) and key != "examples":
            stack.extend((join(pointer, index), child, "") for index, child in enumerate(node))


def _check_refs(documents: dict[Path, Any], main: Path) -> None:
    done: set[Path] = set()
    pending = [main]
    while pending:
        file = pending.pop()
        if file in done:
            continue
        done.add(file)
        for site in sorted(_ref_sites(file, documents[file]), key=lambda site: site.pointer):
            _chain(documents, site, fetch=True)
        pending.extend(other for other in documents if other not in done)


@dataclass(slots=True, frozen=True)
class LoadedSpec:
    """An OpenAPI document whose `$ref`s all resolve; `documents` holds every file reached."""

    path: Path
    raw: dict[str, Any]
    documents: Mapping[Path, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.raw.get("openapi", ""))

    def _documents(self) -> dict[Path, Any]:
        return {**self.documents, self.path: self.raw}

    def find(self, pointer: str, file: Path | None = None) -> Resolved | None:
        """The node at `pointer` in `file` (default: the main document), or None if absent."""
        file = file or self.path
        node = self._documents().get(file)
        for token in split(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return Resolved(file, pointer, node)

    def resolve(self, ref: str, base: Path | None = None, pointer: str = "") -> Resolved:
        """One hop: the target of `ref` written at `pointer` in `base` (default: the main file).

        Raises SpecError when it does not resolve; refs that were in the files on load always do.
        """
        site = Resolved(base or self.path, pointer, {"$ref": ref})
        return _step(self._documents(), site, fetch=False)

    def chain(self, node: Any, file: Path | None = None, pointer: str = "") -> list[Resolved]:
        """`node` (found at `pointer` in `file`) and every node its `$ref` chain passes through."""
        return _chain(self._documents(), Resolved(file or self.path, pointer, node), fetch=False)

    def deref(self, node: Any, file: Path | None = None, pointer: str = "") -> Resolved:
        """Follow `node`'s `$ref`s (if any) to the node they stand for, and where it lives."""
        return self.chain(node, file, pointer)[-1]


def load_spec(path: str | os.PathLike[str]) -> LoadedSpec:
    """Read an OpenAPI 3 document and every file its `$ref`s reach; raise SpecError if unusable."""
    main = Path(os.path.normpath(path))
    raw = read_document(main)
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else f"a {type(raw).__name__}"
        raise SpecError(f"{main}: the document is {kind}, not a mapping; pass an OpenAPI 3 spec")
    if "openapi" not in raw:
        hint = "convert Swagger 2.0 to OpenAPI 3" if "swagger" in raw else "pass an OpenAPI 3 spec"
        raise SpecError(f"{main}: no top-level `openapi` key, so it is not an OpenAPI 3 document; {hint}")
    version = raw["openapi"]
    if not str(version).startswith("3."):
        raise SpecError(f"{main}: openapi version {version!r} is not supported; use OpenAPI 3.0 or 3.1")
    documents: dict[Path, Any] = {main: raw}
    _check_refs(documents, main)
    return LoadedSpec(path=main, raw=raw, documents=documents)


def bundled_spec_path() -> Path:
    """The OpenClaw spec shipped with clawcheck: in the wheel, else in the source tree."""
    return bundled_file("openclaw.v2.yaml", "specs/openclaw/openclaw.v2.yaml")


def _declares_openapi(file: Path) -> bool:
    try:
        document = read_document(file)
    except SpecError:
        # A broken file that looks like a spec is still linted, so its error is reported.
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        return re.search(r'^(openapi|"openapi"|\{\s*"openapi")\s*:', text, re.MULTILINE) is not None
    return isinstance(document, dict) and "openapi" in document


def default_spec_paths(root: Path) -> list[Path]:
    """Every YAML/JSON file under `root/specs/` with a top-level `openapi` key, sorted."""
    specs = root / "specs"
    if not specs.is_dir():
        return []
    candidates = (p for p in specs.rglob("*") if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
    return sorted(p for p in candidates if _declares_openapi(p))
