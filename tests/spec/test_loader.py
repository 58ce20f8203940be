"""load_spec: parsing, one-line SpecErrors, $ref resolution across files, cycles, discovery."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clawcheck.errors import ClawcheckError, SpecError
from clawcheck.spec import LoadedSpec, bundled_spec_path, default_spec_paths, load_spec

WriteSpec = Callable[..., Path]
Within = Callable[[float, Callable[[], object]], object]
HEADER = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def load_error(path: Path) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert "\n" not in message, "SpecError messages are one line"
    return message


def test_loads_a_clean_spec(data: Path) -> None:
    spec = load_spec(data / "clean.yaml")
    assert isinstance(spec, LoadedSpec)
    assert spec.path == data / "clean.yaml"
    assert spec.version == "3.0.3"
    assert "/v2/things/create" in spec.raw["paths"]


def test_missing_file_names_it_and_says_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert (
        load_error(missing)
        == f"spec not found: {missing}; pass an existing file or run from the project root"
    )


def test_spec_error_is_a_clawcheck_error() -> None:
    assert issubclass(SpecError, ClawcheckError)


def test_broken_yaml_reports_line_and_column(data: Path) -> None:
    message = load_error(data / "broken_yaml.yaml")
    assert message.startswith(f"{data / 'broken_yaml.yaml'}:7:7: not valid YAML (")
    assert message.endswith("fix the syntax there")


def test_broken_json_reports_line_and_column(write_spec: WriteSpec) -> None:
    path = write_spec('{"openapi": "3.0.3",\n "info": {,}\n}', "spec.json")
    assert load_error(path).startswith(f"{path}:2:11: not valid JSON (")


def test_duplicate_yaml_key_is_an_error_with_its_line(write_spec: WriteSpec) -> None:
    path = write_spec(HEADER + "paths:\n  /a: {}\n  /a: {}\n")
    message = load_error(path)
    assert message.startswith(f"{path}:5:3: not valid YAML (duplicate key '/a')")


def test_yaml_merge_keys_may_override(write_spec: WriteSpec) -> None:
    path = write_spec(HEADER + "x-base: &base {a: 1, b: 2}\nx-derived:\n  <<: *base\n  b: 3\npaths: {}\n")
    assert load_spec(path).raw["x-derived"] == {"a": 1, "b": 3}


def test_keys_and_dates_load_as_json_would(write_spec: WriteSpec) -> None:
    path = write_spec(HEADER + "paths: {}\nx-codes: {404: a, 200: b}\nx-when: 2026-03-19T08:30:00Z\n")
    raw = load_spec(path).raw
    assert raw["x-codes"] == {"404": "a", "200": "b"}
    assert raw["x-when"] == "2026-03-19T08:30:00Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "the document is a list, not a mapping"),
        ("", "the document is empty, not a mapping"),
        ("info: {title: t}\n", "no top-level `openapi` key"),
        ('swagger: "2.0"\n', "convert Swagger 2.0 to OpenAPI 3"),
        ('openapi: "2.0"\n', "openapi version '2.0' is not supported"),
    ],
)
def test_documents_that_are_not_openapi_3(write_spec: WriteSpec, text: str, expected: str) -> None:
    assert expected in load_error(write_spec(text))


def test_directory_and_non_utf8_files(tmp_path: Path, write_spec: WriteSpec) -> None:
    assert load_error(tmp_path) == f"{tmp_path} is a directory; pass a spec file (.yaml, .yml or .json)"
    path = write_spec("")
    path.write_bytes(b"openapi: \xff\n")
    assert "not UTF-8 text" in load_error(path)


def test_broken_local_ref_names_file_pointer_and_ref(data: Path) -> None:
    message = load_error(data / "broken_local_ref.yaml")
    assert message == (
        f"{data / 'broken_local_ref.yaml'}: $ref '#/components/schemas/Missing' at "
        "/paths/~1v2~1things/get/responses/200/content/application~1json/schema does not resolve "
        "(no 'Missing' under /components/schemas); fix the reference or define the target"
    )


def test_broken_relative_file_ref_names_the_ref_and_the_other_file(data: Path) -> None:
    message = load_error(data / "broken_file_ref.yaml")
    assert (
        "$ref 'refs/common.yaml#/components/responses/Gone' at /paths/~1v2~1things/get/responses/404"
        in message
    )
    assert f"in {data / 'refs' / 'common.yaml'}" in message


def test_ref_to_a_missing_file(data: Path) -> None:
    message = load_error(data / "missing_file_ref.yaml")
    assert "$ref 'refs/nowhere.yaml#/components/responses/NotFound'" in message
    assert f"file {data / 'refs' / 'nowhere.yaml'} not found" in message


def test_remote_refs_and_bad_fragments_are_errors(write_spec: WriteSpec) -> None:
    remote = write_spec(HEADER + "paths: {}\nx-a: {$ref: 'https://example.com/s.yaml#/A'}\n")
    assert "is remote; clawcheck does not fetch URLs" in load_error(remote)
    no_slash = write_spec(HEADER + "paths: {}\nx-a: {$ref: '#components/schemas/A'}\n", "b.yaml")
    assert "is not a JSON pointer" in load_error(no_slash)


def test_ref_cycle_is_an_error_and_does_not_hang(data: Path, finishes_within: Within) -> None:
    outcome = finishes_within(10, lambda: load_spec(data / "ref_cycle.yaml"))
    assert isinstance(outcome, SpecError)
    assert "$ref cycle at /components/schemas/A" in str(outcome)
    assert "'#/components/schemas/B' -> '#/components/schemas/A'" in str(outcome)


def test_self_ref_is_a_cycle(write_spec: WriteSpec) -> None:
    path = write_spec(HEADER + "paths: {}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A'}}}\n")
    assert "$ref cycle" in load_error(path)


def test_recursive_schema_loads_without_looping(data: Path, finishes_within: Within) -> None:
    spec = finishes_within(10, lambda: load_spec(data / "recursive_schema.yaml"))
    assert isinstance(spec, LoadedSpec)


def test_refs_inside_examples_are_data_not_references(write_spec: WriteSpec) -> None:
    text = HEADER + "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, example: {$ref: nowhere}}\n"
    assert load_spec(write_spec(text)).raw["components"]["schemas"]["A"]["example"] == {"$ref": "nowhere"}


@pytest.mark.parametrize(
    ("where", "pointer"),
    [
        ("responses: {default: {$ref: '#/nope'}}", "/paths/~1a/get/responses/default"),
        (
            "responses: {'200': {description: ok, content: {application/json: {schema: "
            "{properties: {default: {$ref: '#/nope'}}}}}}}",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/default",
        ),
    ],
)
def test_refs_named_like_literal_keys_are_still_checked(
    write_spec: WriteSpec, where: str, pointer: str
) -> None:
    path = write_spec(HEADER + "paths:\n  /a:\n    get:\n      " + where + "\n")
    assert f"$ref '#/nope' at {pointer} does not resolve" in load_error(path)


def test_escaped_pointers_resolve(data: Path) -> None:
    spec = load_spec(data / "escaped_refs.yaml")
    assert spec.resolve("#/x-shared/tilde~0key").node == {"type": "string"}
    copied = spec.raw["paths"]["/v2/things/copy"]["get"]["responses"]["200"]
    target = spec.deref(copied)
    assert target.pointer == "/paths/~1v2~1things/get/responses/200"
    assert target.node["description"] == "ok"


def test_relative_file_refs_load_the_other_file(data: Path) -> None:
    spec = load_spec(data / "split_spec.yaml")
    common = data / "refs" / "common.yaml"
    assert set(spec.documents) == {data / "split_spec.yaml", common}
    hops = spec.chain(spec.raw["components"]["schemas"]["Error"], pointer="/components/schemas/Error")
    assert [(hop.file, hop.pointer) for hop in hops] == [
        (data / "split_spec.yaml", "/components/schemas/Error"),
        (common, "/components/schemas/Error"),
    ]
    assert hops[-1].node["required"] == ["error"]


def test_resolve_and_find(data: Path) -> None:
    spec = load_spec(data / "clean.yaml")
    assert spec.resolve("#/components/schemas/Thing").node["type"] == "object"
    with pytest.raises(SpecError, match="no 'Nope' under /components/schemas"):
        spec.resolve("#/components/schemas/Nope")
    found = spec.find("/paths/~1v2~1things~1create/post/operationId")
    assert found is not None
    assert found.node == "createThing"
    assert spec.find("/paths/~1nope") is None
    assert spec.deref({"type": "string"}).node == {"type": "string"}


def test_json_specs_load(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(load_spec(data / "clean.yaml").raw), encoding="utf-8")
    assert load_spec(path).raw["info"]["title"] == "clean"


def test_default_spec_paths_finds_openapi_documents_only(tmp_path: Path, data: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "nested").mkdir(parents=True)
    shutil.copy(data / "clean.yaml", specs / "b.yaml")
    (specs / "nested" / "a.json").write_text('{"openapi": "3.0.3"}', encoding="utf-8")
    (specs / "notes.yaml").write_text("title: not a spec\n", encoding="utf-8")
    (specs / "readme.md").write_text("openapi: no\n", encoding="utf-8")
    # A broken file that looks like a spec is still linted, so its error is not silently skipped.
    (specs / "broken.yml").write_text("openapi: 3.0.3\npaths: {\n", encoding="utf-8")
    assert default_spec_paths(tmp_path) == [
        specs / "b.yaml",
        specs / "broken.yml",
        specs / "nested" / "a.json",
    ]


def test_default_spec_paths_without_a_specs_directory(tmp_path: Path) -> None:
    assert default_spec_paths(tmp_path) == []


def test_bundled_spec_path_points_at_the_openclaw_spec() -> None:
    path = bundled_spec_path()
    assert path.name == "openclaw.v2.yaml"
    assert path.is_file()
