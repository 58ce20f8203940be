"""Every rule: a fixture that breaks exactly that rule, findings at the right pointers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clawcheck.spec import RULES, Finding, RuleRegistry, lint_spec, load_spec

WriteSpec = Callable[..., Path]
HEADER = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def lint(path: Path) -> list[Finding]:
    return lint_spec(load_spec(path))


def located(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.pointer) for f in findings]


def test_rules_run_in_a_fixed_order_with_validity_first() -> None:
    assert RULES.ids() == (
        "openapi.valid",
        "sla.declared",
        "sla.not_looser",
        "errors.envelope",
        "idempotency.declared",
        "operation_id.unique",
    )
    assert all(rule.title for rule in RULES)


@pytest.mark.parametrize(
    "name", ["clean.yaml", "split_spec.yaml", "escaped_refs.yaml", "recursive_schema.yaml"]
)
def test_clean_fixtures_have_no_findings(data: Path, name: str) -> None:
    assert lint(data / name) == []


# Fixture -> (the one rule it breaks, the pointers of its findings in order).
VIOLATIONS = {
    "invalid_openapi.yaml": ("openapi.valid", ["/paths/~1v2~1things/get/responses/200"]),
    "sla_declared.yaml": (
        "sla.declared",
        [
            "/paths/~1v2~1things/get",
            "/paths/~1v2~1things~1{thing_id}/get/x-sla",
            "/paths/~1v2~1things~1{thing_id}/get/x-sla",
        ],
    ),
    "sla_not_looser.yaml": (
        "sla.not_looser",
        ["/paths/~1v2~1orders~1create/post/x-sla", "/paths/~1v2~1orders/get/x-sla"],
    ),
    "errors_envelope.yaml": (
        "errors.envelope",
        [
            "/paths/~1v2~1things/get/responses/400/content/application~1json/schema",
            "/paths/~1v2~1things/get/responses/default",
            "/components/responses/Unavailable/content/application~1json/schema",
        ],
    ),
    "idempotency_declared.yaml": (
        "idempotency.declared",
        ["/paths/~1v2~1orders~1create/post", "/components/parameters/OptionalKey"],
    ),
    "operation_id_unique.yaml": (
        "operation_id.unique",
        ["/paths/~1v2~1orders~1{order_id}/get/operationId", "/paths/~1v2~1orders~1{order_id}/delete"],
    ),
}


def test_every_rule_has_a_violation_fixture() -> None:
    assert {rule for rule, _ in VIOLATIONS.values()} == set(RULES.ids())


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_fixture_violates_exactly_its_rule(data: Path, name: str) -> None:
    rule, pointers = VIOLATIONS[name]
    findings = lint(data / name)
    assert located(findings) == [(rule, pointer) for pointer in pointers]
    assert all(f.file == str(data / name) for f in findings)
    assert all(f.message and "\n" not in f.message for f in findings)


def test_looser_sla_messages_say_what_to_change(data: Path) -> None:
    p95, rate = (f.message for f in lint(data / "sla_not_looser.yaml"))
    assert p95 == (
        "x-sla.p95_ms of POST /v2/orders/create is 1000; the acceptance SLA allows at most 800: "
        "lower it to 800 or less"
    )
    assert "is 0.99; the acceptance SLA requires at least 0.995" in rate


def test_unusable_sla_values_are_named(data: Path) -> None:
    missing, p95, rate = (f.message for f in lint(data / "sla_declared.yaml"))
    assert missing.startswith("GET /v2/things has no x-sla; add x-sla: {p95_ms: 800, success_rate: 0.995}")
    assert "x-sla.p95_ms of GET /v2/things/{thing_id} is 'fast'" in p95
    assert "x-sla.success_rate of GET /v2/things/{thing_id} is 99.5, not a number in (0, 1]" in rate


def test_shared_error_response_is_reported_once_where_it_is_defined(data: Path) -> None:
    inline, no_json, shared = lint(data / "errors_envelope.yaml")
    assert "(schema: an inline schema); set schema: $ref: '#/components/schemas/Error'" in inline.message
    assert "GET /v2/things response default has no application/json content" in no_json.message
    assert shared.message.startswith(
        "response /components/responses/Unavailable (used by GET /v2/things 503)"
    )
    assert "$ref '#/components/schemas/Problem'" in shared.message


def test_missing_error_schema_is_named(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEADER + "paths:\n  /a:\n    get:\n      operationId: a\n"
        "      x-sla: {p95_ms: 800, success_rate: 0.995}\n"
        "      responses:\n        '500':\n          description: boom\n"
        "          content: {application/json: {schema: {type: object}}}\n"
    )
    (found,) = lint(path)
    assert found.rule == "errors.envelope"
    assert "the spec defines no components/schemas/Error" in found.message


def test_duplicate_operation_id_names_both_locations(data: Path) -> None:
    duplicate = lint(data / "operation_id_unique.yaml")[0]
    assert duplicate.message == (
        "operationId 'getOrders' of GET /v2/orders/{order_id} is already used by GET /v2/orders at "
        f"{data / 'operation_id_unique.yaml'}:/paths/~1v2~1orders/get/operationId; rename one of them"
    )


def test_findings_in_another_file_name_that_file(data: Path, write_spec: WriteSpec) -> None:
    common = (data / "refs" / "common.yaml").read_text(encoding="utf-8")
    shared = write_spec(common.replace('$ref: "#/components/schemas/Error"', "type: object"), "shared.yaml")
    path = write_spec(
        HEADER + "paths:\n  /a:\n    get:\n      operationId: a\n"
        "      x-sla: {p95_ms: 800, success_rate: 0.995}\n"
        "      responses:\n        '404': {$ref: 'shared.yaml#/components/responses/NotFound'}\n"
    )
    (found,) = lint(path)
    assert (found.rule, found.file) == ("errors.envelope", str(shared))
    assert found.pointer == "/components/responses/NotFound/content/application~1json/schema"


def test_semantic_validation_runs_on_schema_valid_documents(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEADER + "paths:\n  /a/{id}:\n    get:\n      operationId: a\n"
        "      x-sla: {p95_ms: 800, success_rate: 0.995}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    (found,) = lint(path)
    assert (found.rule, found.pointer) == ("openapi.valid", "")
    assert "Path parameter 'id'" in found.message


def test_rules_survive_a_badly_malformed_document(write_spec: WriteSpec) -> None:
    path = write_spec(
        HEADER + "paths:\n"
        "  /a:\n"
        "    parameters: {not: a list}\n"
        "    get: just a string\n"
        "    post:\n"
        "      parameters: [1, {name: 5, in: header}]\n"
        "      responses: [1, 2]\n"
        "      x-sla: [800]\n"
        "  /b: [1, 2]\n"
        "components: {schemas: 3}\n"
    )
    findings = lint(path)
    assert {f.rule for f in findings} >= {"openapi.valid", "sla.declared", "idempotency.declared"}
    assert {f.rule for f in findings} <= set(RULES.ids())
    not_a_list = write_spec(HEADER + "paths: [1, 2]\n", "list.yaml")
    assert {f.rule for f in lint(not_a_list)} == {"openapi.valid"}


def test_registry_rejects_a_second_rule_with_the_same_id() -> None:
    registry = RuleRegistry()
    registry.register("x.one", "One")(lambda spec: [])
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("x.one", "Again")(lambda spec: [])
    assert registry.ids() == ("x.one",)
    assert len(registry) == 1


def test_a_custom_registry_runs_only_its_rules(data: Path) -> None:
    registry = RuleRegistry()

    @registry.register("demo.paths", "Every spec has paths")
    def demo(spec: object) -> list[Finding]:
        return [Finding("demo.paths", "f", "", "seen")]

    assert lint_spec(load_spec(data / "sla_declared.yaml"), registry) == [
        Finding("demo.paths", "f", "", "seen")
    ]
