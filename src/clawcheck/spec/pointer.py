"""RFC 6901 JSON pointers: the one way findings and errors name a place in a document."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

__all__ = ["escape", "join", "split", "to_pointer", "unescape"]


def escape(token: str) -> str:
    """Escape one reference token: `~` first, so an escaped `/` is not escaped twice."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    # `~1` before `~0`, so that `~01` becomes `~1` and not `/` (RFC 6901, section 4).
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """`join("/paths", "/v2/orders", "post")` is `/paths/~1v2~1orders/post`."""
    return pointer + "".join("/" + escape(str(token)) for token in tokens)


def to_pointer(tokens: Iterable[str | int]) -> str:
    return join("", *tokens)


def split(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer or of a `$ref` fragment (which may be %-encoded).

    Raises ValueError when the text is not a pointer; the loader turns that into a SpecError.
    """
    pointer = unquote(pointer)
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON pointer (it must start with '/')")
    return [unescape(token) for token in pointer[1:].split("/")]
