"""SpecIndex on the bundled OpenClaw spec, and on small specs for the edge cases."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from clawcheck.contract.specindex import SpecIndex
from clawcheck.spec.loader import load_spec


@pytest.fixture
def index(bundled_index: SpecIndex) -> SpecIndex:
    return bundled_index


def test_twenty_operations_with_their_labels(index: SpecIndex) -> None:
    assert len(index.operations) == 22
    for label, info in index.operations.items():
        assert label == f"{info.method} {info.path}"
        assert info.method in {"GET", "POST", "DELETE"}
        assert info.operation_id
        assert info.operation_id != label


def test_state_changing_is_every_post_but_the_token_endpoint(index: SpecIndex) -> None:
    changing = {label for label, info in index.operations.items() if info.state_changing}
    posts = {label for label, info in index.operations.items() if info.method == "POST"}
    assert changing == posts - {"POST /v2/oauth/token"}
    assert len(changing) == 12


def test_requires_auth_everywhere_but_health_and_token(index: SpecIndex) -> None:
    open_ops = {label for label, info in index.operations.items() if not info.requires_auth}
    assert open_ops == {"GET /healthz", "POST /v2/oauth/token"}


def test_every_state_changing_operation_links_to_a_read(index: SpecIndex) -> None:
    for label, info in index.operations.items():
        links = index.links.get(label, ())
        assert all(link.target.method == "GET" for link in links), label
        if info.state_changing:
            assert links, f"{label} has no link to a GET"
            for link in links:
                assert link.target is index.info(link.target.label)
                names = {name.rpartition(".")[2] for name in link.parameters}
                # Every path parameter of the read is given by the link.
                for segment in link.target.path.split("/"):
                    if segment.startswith("{"):
                        assert segment.strip("{}") in names, (label, link.name)


def test_create_order_details(index: SpecIndex) -> None:
    info = index.info("POST /v2/orders/create")
    assert info.operation_id == "createOrder"
    assert info.body_schema is not None
    assert info.body_schema["properties"]["platform"]["enum"][0] == "amazon"
    assert "$ref" not in repr(info.body_schema)  # dereferenced deeply
    assert info.sla == {"p95_ms": 800, "success_rate": 0.995}
    (get_order,) = index.links["POST /v2/orders/create"]
    assert get_order.target.label == "GET /v2/orders/{order_id}"
    assert get_order.parameters["path.order_id"] == "$response.body#/order_id"
    assert get_order.locations["order_id"] == "path"


def test_reads_have_no_body_schema(index: SpecIndex) -> None:
    assert index.info("GET /v2/orders").body_schema is None
    assert index.info("POST /v2/orders/{order_id}/pay").body_schema is None


def test_unknown_label_is_a_key_error(index: SpecIndex) -> None:
    with pytest.raises(KeyError):
        index.info("GET /v2/nothing")


SMALL = """\
openapi: 3.0.3
info: {title: t, version: '1'}
security: [{oauth: []}]
components:
  securitySchemes:
    oauth: {type: http, scheme: bearer}
paths:
  /items:
    get:
      operationId: listItems
      security: [{}, {oauth: []}]
      responses: {'200': {description: ok}}
    post:
      operationId: createItem
      responses:
        '201':
          description: created
          links:
            Self: {operationId: listItems}
            Later: {operationId: deleteItem}
  /items/{id}:
    delete:
      operationId: deleteItem
      security: []
      responses: {'204': {description: gone}}
"""


def small_index(tmp_path: Path) -> SpecIndex:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL), encoding="utf-8")
    return SpecIndex.build(load_spec(path))


def test_small_spec_basics(tmp_path: Path) -> None:
    index = small_index(tmp_path)
    assert index.info("DELETE /items/{id}").requires_auth is False
    create = index.info("POST /items")
    assert create.requires_auth is True
    assert create.state_changing is False  # a POST without an Idempotency-Key parameter
    assert [link.target.label for link in index.links["POST /items"]] == ["GET /items"]  # only links to GETs


def test_optional_security_does_not_require_auth(tmp_path: Path) -> None:
    assert small_index(tmp_path).info("GET /items").requires_auth is False
