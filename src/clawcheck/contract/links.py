"""Evaluate OpenAPI link runtime expressions against an exchange, to build the follow-up read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from clawcheck.contract.exchange import Exchange, SentRequest
from clawcheck.contract.specindex import Link

__all__ = ["UNRESOLVED", "build_read", "evaluate", "path_parameters"]

UNRESOLVED = object()
_LOCATIONS = frozenset({"path", "query", "header", "cookie"})
_TEMPLATE = re.compile(r"\{([^}/]+)\}")


def path_parameters(template: str, path: str) -> dict[str, str]:
    """Decoded values of `{name}` segments, e.g. {'order_id': 'ord_1'} for /v2/orders/ord_1."""
    # Split before escaping, so names keep their characters; groups get generated names
    # because parameter names like `order-id` are not valid regex group names.
    parts = _TEMPLATE.split(template)
    names = parts[1::2]
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<p{index // 2}>[^/]+)" for index, part in enumerate(parts)
    )
    found = re.match(f"^{pattern}$", path)
    if not found:
        return {}
    return {name: unquote(found.group(f"p{index}")) for index, name in enumerate(names)}


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.lstrip("/").split("/") if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return UNRESOLVED
    return node


def evaluate(expression: Any, exchange: Exchange, template: str) -> Any:
    """The value of one runtime expression (`$response.body#/order_id`, ...); literals pass through."""
    if not isinstance(expression, str) or not expression.startswith("$"):
        return expression
    source, _, pointer = expression.partition("#")
    if source == "$response.body":
        return _pointer(exchange.json(), pointer)
    if source == "$request.body":
        return _pointer(exchange.request.json(), pointer)
    if source.startswith("$request.path."):
        return path_parameters(template, exchange.request.path).get(
            source.removeprefix("$request.path."), UNRESOLVED
        )
    if source.startswith("$request.query."):
        values = parse_qs(urlsplit(exchange.request.url).query).get(source.removeprefix("$request.query."))
        return values[0] if values else UNRESOLVED
    if source.startswith("$request.header."):
        value = exchange.request.header(source.removeprefix("$request.header."))
        return UNRESOLVED if value is None else value
    if source.startswith("$response.header."):
        value = exchange.header(source.removeprefix("$response.header."))
        return UNRESOLVED if value is None else value
    if source == "$statusCode":
        return exchange.status
    return UNRESOLVED


def build_read(
    link: Link, exchange: Exchange, template: str, base_url: str, headers: Mapping[str, str]
) -> SentRequest | None:
    """The GET request a link describes, or None when one of its parameters cannot be computed."""
    path, query = link.target.path, {}
    for raw_name, expression in link.parameters.items():
        prefix, _, rest = raw_name.partition(".")
        location, name = (prefix, rest) if prefix in _LOCATIONS and rest else ("", raw_name)
        location = location or link.locations.get(name, "path")
        value = evaluate(expression, exchange, template)
        if value is UNRESOLVED or value is None:
            return None
        if location == "path":
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        elif location == "query":
            query[name] = str(value)
    if "{" in path:
        return None
    url = f"{base_url}{path}" + (f"?{urlencode(query)}" if query else "")
    return SentRequest("GET", url, dict(headers))
