"""TikTok Shop request and webhook signatures, exactly as the Partner API computes them.

Request signing (docv2 "sign-your-api-request"): lower-case hex HMAC-SHA256 keyed with the
app secret over

    app_secret + path + {key}{value} of every query parameter but `sign` and `access_token`,
    keys sorted + the raw body (unless the content type is multipart/form-data) + app_secret

Values are the decoded query values; the access token travels in `x-tts-access-token` and is
never signed. Webhooks use a different rule: HMAC-SHA256(app_secret, app_key + raw body) in
the `Authorization` header, without the wrapping and without a "Bearer" prefix.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

__all__ = ["EXCLUDED", "is_multipart", "sign_request", "string_to_sign", "webhook_signature"]

# Query parameters the signature leaves out.
EXCLUDED = frozenset({"sign", "access_token"})


def is_multipart(content_type: str | None) -> bool:
    """Only the media type counts: the header carries a boundary after `;`."""
    return (content_type or "").split(";", 1)[0].strip().lower() == "multipart/form-data"


def string_to_sign(
    secret: str,
    path: str,
    query: Iterable[tuple[str, str]],
    body: bytes = b"",
    content_type: str | None = None,
) -> bytes:
    pairs = sorted((key, value) for key, value in query if key not in EXCLUDED)
    text = path.encode() + "".join(f"{key}{value}" for key, value in pairs).encode()
    if not is_multipart(content_type):
        text += body
    wrapper = secret.encode()
    return wrapper + text + wrapper


def sign_request(
    secret: str,
    path: str,
    query: Iterable[tuple[str, str]],
    body: bytes = b"",
    content_type: str | None = None,
) -> str:
    message = string_to_sign(secret, path, query, body, content_type)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(app_key: str, app_secret: str, body: bytes) -> str:
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()
