"""The schema of `clawcheck.toml`: which keys each table takes, and how a table becomes values.

`KEYS` is the whole vocabulary (docs/config.md documents every key; a test keeps them equal).
`build_environment` is run twice: at load for every environment with secrets left unread
(validation), and at `Config.environment(name)` for the chosen one with secrets resolved.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from clawcheck.config.model import (
    EnvironmentConfig,
    Kind,
    LoadConfig,
    NotifyConfig,
    NotifyKind,
    PlatformsConfig,
    Role,
    Signer,
    SlaOverride,
    WaiverConfig,
    WebhooksConfig,
)
from clawcheck.config.reader import Table
from clawcheck.config.secrets import Secret

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "ENVIRONMENT_NAME",
    "KEYS",
    "LANGS",
    "MAX_P95_MS",
    "MIN_SUCCESS",
    "build_environment",
    "build_notify",
]

LANGS = ("zh-CN", "en")
DEFAULT_ENVIRONMENT = "embedded"  # the all-embedded environment of a file that defines none
# The protocol's SLA maxima (section 3): a file may tighten them, never loosen.
MAX_P95_MS = 800.0
MIN_SUCCESS = 0.995
REASON_MIN = 10

TOP = ("default_env", "lang", "out", "spec", "environments", "notify")
ENVIRONMENT = (
    "kind",
    "target",
    "client_id",
    "client_secret",
    "shop_id",
    "api_version",
    "webhooks",
    "platforms",
    "load",
    "sla",
    "signers",
    "waivers",
)
WEBHOOKS = ("url", "secret", "probe")
PLATFORMS = ("platform", "adapter", "scenarios", "duration", "timeout")
LOAD = ("profile", "users", "spawn_rate", "duration", "max_requests")
SLA = ("p95_ms", "success")
SIGNERS = tuple(str(r) for r in Role)
SIGNER = ("name", "key")
WAIVER = ("item", "reason", "signer", "role")
NOTIFY = ("kind", "url", "secret")

KEYS: dict[str, tuple[str, ...]] = {
    "": TOP,
    "environments.<name>": ENVIRONMENT,
    "environments.<name>.webhooks": WEBHOOKS,
    "environments.<name>.platforms": PLATFORMS,
    "environments.<name>.load": LOAD,
    "environments.<name>.sla.<operation>": SLA,
    "environments.<name>.signers": SIGNERS,
    "environments.<name>.signers.<role>": SIGNER,
    "environments.<name>.waivers[]": WAIVER,
    "notify[]": NOTIFY,
}

ENVIRONMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SHOP = re.compile(r"^shop_[A-Za-z0-9_-]{1,60}$")  # as contract/settings.py requires
_API_VERSION = re.compile(r"^v\d+$")
_PLATFORM = re.compile(r"^[a-z][a-z0-9-]*$")
_SCENARIO = re.compile(r"^[a-z][a-z0-9-]*(?::[A-Za-z_]\w*=\d+(?:\.\d+)?(?:,[A-Za-z_]\w*=\d+(?:\.\d+)?)*)?$")
_OPERATION = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$")
_ITEM = re.compile(r"^\S+$")
_PROBE_PLACEHOLDER = "{event_id}"


def build_environment(name: str, table: Table | None, notify: list[Table], root: Path) -> EnvironmentConfig:
    """One environment's values; `table` None is the all-embedded default. Relative paths → `root`."""
    if table is None:
        return EnvironmentConfig(name=name, notify=build_notify(notify))
    t = table
    target = _base_url(t, "target")
    kind = _kind(t, target is not None)
    client_id, client_secret, shop_id = _credentials(t, target is not None)
    signers = _signers(t.table("signers", SIGNERS), root)
    return EnvironmentConfig(
        name=name,
        kind=kind,
        target=target,
        client_id=client_id,
        client_secret=client_secret,
        shop_id=shop_id,
        api_version=t.string("api_version", pattern=_API_VERSION, shape='a version like "v2"'),
        webhooks=_webhooks(t.table("webhooks", WEBHOOKS)),
        platforms=_platforms(t.table("platforms", PLATFORMS)),
        load=_load(t.table("load", LOAD)),
        sla=_sla(t.table("sla", None)),
        signers=signers,
        waivers=_waivers(t.tables("waivers", WAIVER), signers),
        notify=build_notify(notify),
    )


def build_notify(tables: list[Table]) -> tuple[NotifyConfig, ...]:
    found: list[NotifyConfig] = []
    for t in tables:
        kind = NotifyKind(t.need("kind", f": one of {', '.join(NotifyKind)}", choices=list(NotifyKind)))
        prefix = str(kind).upper()
        url = t.need_secret(
            "url", f'; e.g. url = {{ env = "{prefix}_BOT_URL" }}', example=f"{prefix}_BOT_URL"
        )
        # Resolved (non-empty) values only: at load nothing is read. The URL is a secret: never quoted.
        if url.value and not _is_http(url.value):
            t.fail("url", f"(from {url.env}) must be an http:// or https:// URL; check the variable")
        secret = t.secret("secret", example=f"{prefix}_BOT_SECRET")
        found.append(NotifyConfig(kind=kind, url=url, secret=secret))
    return tuple(found)


def _kind(t: Table, has_target: bool) -> Kind:
    if has_target:
        return Kind(t.need("kind", " when target is set: sandbox or production", choices=list(Kind)))
    kind = Kind(t.string("kind", choices=list(Kind)) or Kind.SANDBOX)
    if kind is Kind.PRODUCTION:
        t.fail("kind", "is production but target is not set (the embedded sandbox is a sandbox); set target")
    return kind


def _credentials(t: Table, has_target: bool) -> tuple[str | None, Secret | None, str | None]:
    """Required with a target; refused without one, so a forgotten target is not a silent sandbox run."""
    if not has_target:
        for key in ("client_id", "client_secret", "shop_id"):
            if key in t:
                t.fail(
                    key,
                    "is set but target is not, and the embedded sandbox uses its own demo credentials; "
                    "set target to test your own environment, or remove it",
                )
        return None, None, None
    when = " when target is set"
    return (
        t.need("client_id", when),
        t.need_secret("client_secret", when, example="OPENCLAW_CLIENT_SECRET"),
        t.need(
            "shop_id", when, pattern=_SHOP, shape="shop_ followed by letters, digits, _ or - (e.g. shop_1001)"
        ),
    )


def _is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # urlsplit's message would quote the URL
        return False


def _url(t: Table, key: str, value: str) -> None:
    """An http(s) URL without user:password@. Only the scheme is quoted: the rest may carry a token."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        t.fail(key, "is not a valid URL")
    if parts.scheme not in ("http", "https"):
        t.fail(key, f"must be an http:// or https:// URL, got scheme {parts.scheme or 'none'!r}")
    if not parts.hostname:
        t.fail(key, "has no host; write e.g. https://api.example.com")
    if parts.username is not None or parts.password is not None:
        t.fail(key, "must not carry credentials (user:password@); use the secret fields with { env = ... }")


def _base_url(t: Table, key: str) -> str | None:
    value = t.string(key)
    if value is None:
        return None
    _url(t, key, value)
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        t.fail(key, "must be the API base URL, without ?query or #fragment")
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        t.fail(key, "ends in /v2; give the base URL without it (the spec's paths start with /v2)")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _webhooks(t: Table | None) -> WebhooksConfig:
    if t is None:
        return WebhooksConfig()
    url = t.string("url")
    if url is None:
        for key in ("secret", "probe"):
            if key in t:
                t.fail(
                    key, "is set but url is not (the reference receiver has its own); set url or remove it"
                )
        return WebhooksConfig()
    _url(t, "url", url)
    secret = t.need_secret(
        "secret", " when url is set: the receiver's signing secret", example="OPENCLAW_WEBHOOK_SECRET"
    )
    probe = t.string("probe")
    if probe is not None:
        if _PROBE_PLACEHOLDER not in probe:
            t.fail(
                "probe",
                f"has no {_PROBE_PLACEHOLDER} placeholder; e.g. https://erp.example.com/probe/{{event_id}}",
            )
        _url(t, "probe", probe.replace(_PROBE_PLACEHOLDER, "evt_x"))
    return WebhooksConfig(url=url, secret=secret, probe=probe)


def _platforms(t: Table | None) -> PlatformsConfig | None:
    if t is None:
        return None
    platform = t.need(
        "platform",
        '; e.g. platform = "shopee"',
        pattern=_PLATFORM,
        shape="a platform name in lower case, e.g. shopee",
    )
    adapter: str | tuple[str, ...] | None
    if isinstance(t.value("adapter"), list):
        adapter = t.strings("adapter")
        if not adapter:
            t.fail("adapter", "must not be empty; give a command line or omit it for the reference adapter")
    else:
        adapter = t.string("adapter")
    scenarios = t.strings("scenarios") or ()
    for index, text in enumerate(scenarios):
        for part in text.split("+"):
            if not _SCENARIO.match(part.strip()):
                t.fail(
                    "scenarios",
                    f"has {part.strip()!r}, which is not name or name:key=number[,key=number]; "
                    'e.g. "token-expiry:ttl=5"',
                    index=index,
                )
    duration = t.seconds("duration", allow_zero=True)
    timeout = t.seconds("timeout")
    if duration is not None and timeout is not None and duration >= timeout:
        t.fail(
            "timeout", f"must be more than duration ({duration:g} s): the adapter is killed at the timeout"
        )
    return PlatformsConfig(platform, adapter, scenarios, duration, timeout)


def _load(t: Table | None) -> LoadConfig:
    if t is None:
        return LoadConfig()
    return LoadConfig(
        profile=t.string("profile"),
        users=t.integer("users", minimum=1),
        spawn_rate=t.number("spawn_rate", above=0),
        duration=t.seconds("duration"),
        max_requests=t.integer("max_requests", minimum=0),
    )


def _sla(t: Table | None) -> tuple[SlaOverride, ...]:
    if t is None:
        return ()
    found: list[SlaOverride] = []
    for operation in t:
        if operation != "*" and not _OPERATION.match(operation):
            t.fail(
                operation, 'is not an operation; write "METHOD /path" (e.g. "POST /v2/orders/create") or "*"'
            )
        entry = t.child(operation, SLA)
        why = "the protocol's limit; an override may only tighten it"
        p95 = entry.number("p95_ms", above=0, most=MAX_P95_MS, why=why)
        success = entry.number("success", least=MIN_SUCCESS, most=1.0, why=why)
        if p95 is None and success is None:
            t.fail(operation, "sets neither p95_ms nor success; e.g. { p95_ms = 500 }")
        found.append(SlaOverride(operation, p95, success))
    return tuple(found)


def _signers(t: Table | None, root: Path) -> tuple[Signer, ...]:
    if t is None:
        return ()
    found: list[Signer] = []
    for role in Role:
        entry = t.table(str(role), SIGNER)
        if entry is None:
            continue
        name = entry.need("name", ' (shown on the checklist); e.g. name = "张三 (Acme ERP)"')
        key = entry.need("key", '; the public key file, e.g. key = "keys/seller.pub"')
        found.append(Signer(role, name.strip(), root / key))
    return tuple(found)


def _waivers(tables: list[Table], signers: tuple[Signer, ...]) -> tuple[WaiverConfig, ...]:
    found: list[WaiverConfig] = []
    seen: dict[str, str] = {}
    for t in tables:
        item = t.need(
            "item",
            "; the checklist item id, e.g. op.listOrders.p95",
            pattern=_ITEM,
            shape="a checklist item id without spaces",
        )
        reason = t.need("reason", "; say why the failure is acceptable")
        signer = t.need("signer", "; who accepts the failure")
        role = t.need("role", ": seller or platform", choices=list(Role))
        if len(reason.strip()) < REASON_MIN:
            t.fail("reason", f"must say why in at least {REASON_MIN} characters, got {len(reason.strip())}")
        if item in seen:
            t.fail("item", f"waives {item} again (also {seen[item]}); give each item one waiver")
        seen[item] = t.path
        expected = next((s for s in signers if s.role == role), None)
        if expected is not None and signer.strip() != expected.name:
            t.fail(
                "signer",
                f"is {signer!r}, but the {role} who signs the checklist is {expected.name!r} "
                f"(signers.{role}.name); a waiver is signed by the one who signs the checklist",
            )
        found.append(WaiverConfig(item, reason.strip(), signer.strip(), Role(role)))
    return tuple(found)
