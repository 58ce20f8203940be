"""The two signing rules, against public vectors and against the fake bots' independent checks.

Neither vendor's documentation prints a finished signature: Feishu's gives the rule and the
example timestamp 1599360473, DingTalk's gives the rule and sample code. The vectors below
were published by independent implementations of those rules (cited inline) and are
cross-checked here against the fake bots' own implementation in `fakebots.py`.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, quote_plus, urlsplit

from clawcheck.notify import NOTIFIERS, Message, NotifyTarget, notify
from clawcheck.notify.dingtalk import dingtalk_sign
from clawcheck.notify.feishu import feishu_sign

from .fakebots import DINGTALK_SECRET, FakeBots, dingtalk_expected_sign, feishu_expected_sign, urls

# Feishu docs' example timestamp, secret "demo": the value asserted by two unrelated public
# projects' tests (a Feishu news pusher and a Lark notice script), both citing the official rule.
FEISHU_VECTOR = ("demo", 1599360473, "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=")
# DingTalk, secret "SECtest-sign-key" at 1700000000000 ms: URL-encoded value from a public
# webhook service's test suite ("computed independently with node -e"). It contains + and /.
DINGTALK_VECTOR = (
    "SECtest-sign-key",
    1700000000000,
    "vIC5W08Cwue2lY%2BGTGRKiJ5goZdUg%2B%2FD%2FJpEwo5EJzM%3D",
)
MESSAGE = Message("accepted", "验收", ("ok",))


def test_feishu_public_vector() -> None:
    secret, timestamp, expected = FEISHU_VECTOR
    assert feishu_sign(secret, timestamp) == expected
    assert feishu_expected_sign(str(timestamp), secret) == expected


def test_dingtalk_public_vector() -> None:
    secret, timestamp, expected = DINGTALK_VECTOR
    assert quote_plus(dingtalk_sign(secret, timestamp)) == expected
    assert quote_plus(dingtalk_expected_sign(str(timestamp), secret)) == expected


def test_feishu_signature_goes_in_the_body_with_a_seconds_timestamp() -> None:
    target = NotifyTarget("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc-123-def", "demo")
    request = NOTIFIERS.get("feishu").request(target, MESSAGE, 1599360473.9)
    assert request.url == target.url
    assert (request.body["timestamp"], request.body["sign"]) == ("1599360473", FEISHU_VECTOR[2])
    assert request.body["msg_type"] == "interactive"


def test_dingtalk_signature_goes_in_the_query_encoded_exactly_once() -> None:
    secret, timestamp, expected = DINGTALK_VECTOR
    url = "https://oapi.dingtalk.com/robot/send?access_token=tok123456&timestamp=1&sign=stale"
    request = NOTIFIERS.get("dingtalk").request(
        NotifyTarget("dingtalk", url, secret), MESSAGE, timestamp / 1000
    )
    assert request.url == (
        f"https://oapi.dingtalk.com/robot/send?access_token=tok123456&timestamp={timestamp}&sign={expected}"
    )
    query = parse_qs(urlsplit(request.url).query)  # what DingTalk reads: one decoding, + and / intact
    assert query["sign"] == [dingtalk_expected_sign(str(timestamp), secret)]


def test_an_unsigned_dingtalk_robot_gets_no_signature() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=tok123456"
    request = NOTIFIERS.get("dingtalk").request(NotifyTarget("dingtalk", url), MESSAGE, 1.0)
    assert request.url == url
    assert request.sensitive == ()


def test_a_signature_with_plus_and_slash_is_accepted_by_the_fake_dingtalk(
    bots: FakeBots, base_url: str
) -> None:
    """A sign holding + or / is what a single missing or double URL encoding breaks."""
    now = time.time()  # the fake bot checks the timestamp against its real clock
    while not {"+", "/"} & set(dingtalk_sign(DINGTALK_SECRET, int(now * 1000))):
        now += 0.001
    target = NotifyTarget("dingtalk", urls(base_url)["dingtalk"], DINGTALK_SECRET)
    [outcome] = notify([target], MESSAGE, clock=lambda: now)
    assert outcome.ok, outcome.reason
    assert {"+", "/"} & set(bots.signatures[0])
