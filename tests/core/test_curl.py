"""to_curl: a replayable command that never carries the token."""

from __future__ import annotations

import shlex

import pytest

from clawcheck.core.curl import TOKEN_VARIABLE, to_curl

TOKEN = "tok_live_0123456789"
URL = "http://127.0.0.1:8080/v2/orders?limit=1&status=paid"


def test_get_without_body() -> None:
    command = to_curl("get", URL, {"X-OpenClaw-Shop-Id": "shop_demo"}, None)
    assert command == f"curl -sS -i -X GET '{URL}' -H 'X-OpenClaw-Shop-Id: shop_demo'"


def test_bearer_token_becomes_the_variable() -> None:
    command = to_curl("GET", URL, {"Authorization": f"Bearer {TOKEN}"}, None)
    assert TOKEN not in command
    assert f'-H "Authorization: Bearer ${TOKEN_VARIABLE}"' in command
    # In a shell the variable expands inside the double quotes.
    assert shlex.split(command)[-1] == f"Authorization: Bearer ${TOKEN_VARIABLE}"


@pytest.mark.parametrize(
    ("value", "scheme"), [("Basic abc", "Basic"), ("rawtoken", "rawtoken"), ("", "Bearer")]
)
def test_authorization_keeps_only_the_scheme(value: str, scheme: str) -> None:
    command = to_curl("GET", URL, {"authorization": value}, None)
    assert f'"Authorization: {scheme} ${TOKEN_VARIABLE}"' in command
    assert "abc" not in command


@pytest.mark.parametrize("name", ["Content-Length", "host", "Accept-Encoding", "Connection", "User-Agent"])
def test_transport_headers_are_skipped(name: str) -> None:
    command = to_curl("GET", URL, {name: "x", "Accept": "application/json"}, None)
    assert name.lower() not in command.lower()
    assert "Accept: application/json" in command


@pytest.mark.parametrize(
    "body",
    [
        '{"reason": "it\'s \\"broken\\""}',
        '{"name": "李伟", "city": "深圳"}',
        "$(rm -rf /) `whoami` $HOME",
        "line one\nline two",
    ],
)
def test_bodies_survive_the_shell_unchanged(body: str) -> None:
    for raw in (body, body.encode()):
        command = to_curl("POST", URL, {"Content-Type": "application/json"}, raw)
        words = shlex.split(command)
        assert words[words.index("--data-raw") + 1] == body


def test_no_data_for_empty_body() -> None:
    assert "--data-raw" not in to_curl("POST", URL, {}, b"")


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    command = to_curl("POST", URL, {}, b"\xff\xfe{}")
    assert shlex.split(command)[-1] == "\ufffd\ufffd{}"


def test_header_values_with_quotes_are_quoted() -> None:
    command = to_curl("POST", URL, {"Idempotency-Key": "it's-a-key"}, None)
    words = shlex.split(command)
    assert words[words.index("-H") + 1] == "Idempotency-Key: it's-a-key"


def test_whole_command_splits_into_the_expected_words() -> None:
    command = to_curl(
        "post",
        URL,
        {"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": "k1", "Content-Length": "2"},
        b"{}",
    )
    assert shlex.split(command) == [
        "curl", "-sS", "-i", "-X", "POST", URL,
        "-H", f"Authorization: Bearer ${TOKEN_VARIABLE}",
        "-H", "Idempotency-Key: k1",
        "--data-raw", "{}",
    ]  # fmt: skip
