"""Reading each bot's answer: only its documented success body is success."""

from __future__ import annotations

import pytest

from clawcheck.notify import NOTIFIERS, Reply

CASES = [
    ("wecom", 200, b'{"errcode":0,"errmsg":"ok"}', Reply(True, "ok", "0")),
    (
        "wecom",
        200,
        b'{"errcode":45009,"errmsg":"api freq out of limit"}',
        Reply(False, "errcode 45009: api freq out of limit", "45009"),
    ),
    ("wecom", 200, b'{"errmsg":"ok"}', Reply(False, 'HTTP 200, no errcode in the answer: {"errmsg":"ok"}')),
    ("wecom", 200, b'{"errcode":false}', Reply(False, "errcode False", "False")),
    ("wecom", 502, b"<html>Bad Gateway</html>", Reply(False, "HTTP 502: <html>Bad Gateway</html>")),
    ("wecom", 500, b'{"errcode":0}', Reply(False, "HTTP 500, errcode 0", "0")),
    ("dingtalk", 200, b'{"errcode":0,"errmsg":"ok"}', Reply(True, "ok", "0")),
    (
        "dingtalk",
        200,
        b'{"errcode":310000,"errmsg":"keywords not in content"}',
        Reply(False, "errcode 310000: keywords not in content", "310000"),
    ),
    ("dingtalk", 200, b"", Reply(False, "HTTP 200, no errcode in the answer: empty body")),
    ("feishu", 200, b'{"code":0,"data":{},"msg":"success"}', Reply(True, "ok", "0")),
    ("feishu", 200, b'{"StatusCode":0,"StatusMessage":"success"}', Reply(True, "ok", "0")),
    (
        "feishu",
        200,
        b'{"code":11232,"msg":"frequency limited"}',
        Reply(False, "code 11232: frequency limited", "11232"),
    ),
    (
        "feishu",
        400,
        b'{"code":9499,"msg":"Bad Request","data":{}}',
        Reply(False, "HTTP 400, code 9499: Bad Request", "9499"),
    ),
    ("slack", 200, b"ok", Reply(True, "ok")),
    ("slack", 404, b"no_service", Reply(False, "HTTP 404: no_service", "no_service")),
    (
        "slack",
        410,
        b"channel_is_archived",
        Reply(False, "HTTP 410: channel_is_archived", "channel_is_archived"),
    ),
    ("slack", 200, b"<html>login</html>", Reply(False, "HTTP 200: <html>login</html>")),
]


@pytest.mark.parametrize(
    ("kind", "status", "body", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[3].reason[:24]}" for c in CASES]
)
def test_reply(kind: str, status: int, body: bytes, expected: Reply) -> None:
    assert NOTIFIERS.get(kind).reply(status, body) == expected
