"""Four fake chat bots on one loopback server, each checking a post the way the real bot does.

The signature checks here are written from each bot's documented rule, independently of
`clawcheck.notify` (no import from it), and the answers are the bots' real success and
error bodies:

- WeCom     `POST /cgi-bin/webhook/send?key=KEY`                 errcode/errmsg, HTTP 200
- Feishu    `POST /open-apis/bot/v2/hook/<token>`                 code/msg (+ StatusCode), sign in the body
- DingTalk  `POST /robot/send?access_token=T&timestamp=&sign=`    errcode/errmsg, sign in the query
- Slack     `POST /services/T…/B…/<secret>`                      plain `ok` or an error word with 4xx

`behaviour` switches every bot at once: `normal`, `error500`, `slow` (answers after
`SLOW_S`), `echo` (an error message that repeats the URL token), `redirect` (302).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

WECOM_KEY = "693a91f6-7a0c-4a52-8d3c-0c1f5e7b9a11"
FEISHU_TOKEN = "2f9c3a51-8e1b-4c7d-9a60-5b3e7d1c4f82"
FEISHU_OPEN_TOKEN = "7d5e1b09-3c44-4f2a-b8e6-91a0c2d35e47"  # a bot without signature checking
FEISHU_SECRET = "feishu-sec-Qm4Xw8Tz2Lp6"
DINGTALK_TOKEN = "5c2b9e0d71f84a6cb3e2d9a017f6c4b8e1d05a93c7b2f6e4d8a1c0b9e7f3a2d6"
DINGTALK_SECRET = "SEC3f0a6c9e2b7d14f58a0c3e6b9d2f71a4c8e0b5d3f6a9c2e7b1d4f8a0c3e6b9d"
SLACK_PATH = "T04ABCDEF12/B05GHIJKL34/q8Zr3Vt6Yw1Xs9Pk2Nm5Lj7H"
ALL_SECRETS = (
    WECOM_KEY,
    FEISHU_TOKEN,
    FEISHU_OPEN_TOKEN,
    FEISHU_SECRET,
    DINGTALK_TOKEN,
    DINGTALK_SECRET,
    SLACK_PATH,
)

WINDOW_S = 3600  # Feishu and DingTalk refuse a timestamp more than an hour from their clock
WECOM_MAX_BYTES = 4096
SLOW_S = 1.5

WECOM_BAD_KEY = (
    "invalid webhook url, hint: [1708397705432012366598976], from ip: 127.0.0.1, "
    "more info at https://open.work.weixin.qq.com/devtool/query?e=93000"
)
FEISHU_BAD_SIGN = "sign match fail or timestamp is not within one hour from current time"
FEISHU_OK = {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}


def feishu_expected_sign(timestamp: str, secret: str) -> str:
    """Feishu's documented rule: HMAC-SHA256 keyed with `timestamp + "\\n" + secret` over nothing, base64."""
    string_to_sign = timestamp + "\n" + secret
    mac = hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("utf-8")


def dingtalk_expected_sign(timestamp: str, secret: str) -> str:
    """DingTalk's documented rule, before URL encoding: HMAC-SHA256(secret, `timestamp\\nsecret`), base64."""
    string_to_sign = "{}\n{}".format(timestamp, secret)  # noqa: UP032 - as the DingTalk sample writes it
    mac = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("utf-8")


@dataclass
class FakeBots:
    behaviour: str = "normal"
    received: list[tuple[str, Any]] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)  # every sign value seen: must never be logged

    def reset(self) -> None:
        self.behaviour = "normal"
        self.received.clear()
        self.signatures.clear()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/cgi-bin/webhook/send", self.wecom, methods=["POST"]),
                Route("/open-apis/bot/v2/hook/{token}", self.feishu, methods=["POST"]),
                Route("/robot/send", self.dingtalk, methods=["POST"]),
                Route("/services/{path:path}", self.slack, methods=["POST"]),
            ]
        )

    async def _common(self, request: Request, token: str) -> tuple[Response | None, Any]:
        """The behaviour switch, then the JSON body (None when it is not JSON)."""
        if self.behaviour == "slow":
            await asyncio.sleep(SLOW_S)
        if self.behaviour == "error500":
            return PlainTextResponse("Internal Server Error", status_code=500), None
        if self.behaviour == "redirect":
            return RedirectResponse("http://127.0.0.1:9/elsewhere", status_code=302), None
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        self.received.append((request.url.path.split("/")[1], body))
        if self.behaviour == "echo":
            echoed = f"invalid token {token}"
            return JSONResponse({"errcode": 93000, "errmsg": echoed, "code": 19001, "msg": echoed}), body
        return None, body

    async def wecom(self, request: Request) -> Response:
        key = request.query_params.get("key", "")
        early, body = await self._common(request, key)
        if early is not None:
            return early
        if key != WECOM_KEY:
            return JSONResponse({"errcode": 93000, "errmsg": WECOM_BAD_KEY})
        if not isinstance(body, dict) or body.get("msgtype") != "markdown":
            return JSONResponse({"errcode": 40008, "errmsg": "invalid message type"})
        content = body.get("markdown", {}).get("content")
        if not isinstance(content, str) or not content:
            return JSONResponse({"errcode": 44004, "errmsg": "empty content"})
        if len(content.encode("utf-8")) > WECOM_MAX_BYTES:
            return JSONResponse({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def feishu(self, request: Request) -> Response:
        token = request.path_params["token"]
        early, body = await self._common(request, token)
        if early is not None:
            return early
        secrets = {FEISHU_TOKEN: FEISHU_SECRET, FEISHU_OPEN_TOKEN: None}
        if token not in secrets:
            return JSONResponse(
                {"code": 19001, "data": {}, "msg": "param invalid: incoming webhook access token invalid"}
            )
        if not isinstance(body, dict):
            return JSONResponse({"code": 9499, "data": {}, "msg": "Bad Request"}, status_code=400)
        secret = secrets[token]
        if secret is not None:
            timestamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
            self.signatures.append(sign)
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= WINDOW_S
            if not fresh or not hmac.compare_digest(sign, feishu_expected_sign(timestamp, secret)):
                return JSONResponse({"code": 19021, "data": {}, "msg": FEISHU_BAD_SIGN})
        card = body.get("card") if body.get("msg_type") == "interactive" else None
        if not isinstance(card, dict) or not card.get("header", {}).get("title", {}).get("content"):
            return JSONResponse({"code": 9499, "data": {}, "msg": "Bad Request"}, status_code=400)
        return JSONResponse(FEISHU_OK)

    async def dingtalk(self, request: Request) -> Response:
        query = request.query_params  # decoded like a form: a raw "+" is a space, as on DingTalk
        token = query.get("access_token", "")
        early, body = await self._common(request, token)
        if early is not None:
            return early
        if token != DINGTALK_TOKEN:
            return JSONResponse({"errcode": 300005, "errmsg": "token is not exist"})
        timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
        self.signatures.append(sign)
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > WINDOW_S * 1000:
            return JSONResponse({"errcode": 310000, "errmsg": "invalid timestamp"})
        if not hmac.compare_digest(sign, dingtalk_expected_sign(timestamp, DINGTALK_SECRET)):
            return JSONResponse({"errcode": 310000, "errmsg": "sign not match"})
        markdown = (
            body.get("markdown") if isinstance(body, dict) and body.get("msgtype") == "markdown" else None
        )
        if not isinstance(markdown, dict) or not markdown.get("title") or not markdown.get("text"):
            return JSONResponse({"errcode": 40035, "errmsg": "缺少参数 markdown"})
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def slack(self, request: Request) -> Response:
        path = request.path_params["path"]
        early, body = await self._common(request, path)
        if early is not None:
            return early
        team_bot, _, secret = path.rpartition("/")
        if team_bot != SLACK_PATH.rpartition("/")[0]:
            return PlainTextResponse("no_service", status_code=404)
        if secret != SLACK_PATH.rpartition("/")[2]:
            return PlainTextResponse("invalid_token", status_code=403)
        if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
            return PlainTextResponse("invalid_payload", status_code=400)
        for block in body.get("blocks", []):
            limit = 150 if block.get("type") == "header" else 3000
            if len(block.get("text", {}).get("text", "")) > limit:
                return PlainTextResponse("invalid_blocks", status_code=400)
        return PlainTextResponse("ok", media_type="text/html")


def urls(base: str) -> dict[str, str]:
    """The right webhook URL of each bot on the fake server."""
    return {
        "wecom": f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}",
        "feishu": f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}",
        "dingtalk": f"{base}/robot/send?access_token={DINGTALK_TOKEN}",
        "slack": f"{base}/services/{SLACK_PATH}",
    }


SECRETS: dict[str, str | None] = {
    "wecom": None,
    "feishu": FEISHU_SECRET,
    "dingtalk": DINGTALK_SECRET,
    "slack": None,
}
