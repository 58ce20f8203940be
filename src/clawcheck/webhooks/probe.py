"""The probe client: how many times did the receiver process an event (protocol section 3).

    GET <template with {event_id} replaced>  ->  200 {"event_id": "evt_...", "processed": <int>}

Anything else is a `ProbeError`: the probe is the receiver's own instrument, so a probe that
breaks never lets a processing check pass.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

from clawcheck.webhooks.settings import PROBE_PLACEHOLDER, ReceiverSettings

__all__ = ["Probe", "ProbeError"]

_POLL = 0.05  # seconds between reads while waiting for an expected count
_SHOWN = 120  # characters of an unexpected probe body quoted in a message


class ProbeError(Exception):
    """The probe did not answer `200 {"event_id": ..., "processed": <int>}` for an event."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"probe GET {url} {problem}")
        self.url = url
        self.problem = problem


class Probe:
    """Reads processing counts through a receiver's probe. Thread-safe; close() when done."""

    def __init__(self, settings: ReceiverSettings, *, http: httpx.Client | None = None) -> None:
        if settings.probe is None:
            raise ValueError("Probe needs settings.probe")
        self.template = settings.probe
        self._settle = settings.settle
        self._own = http is None
        self.http = http or httpx.Client(
            timeout=httpx.Timeout(settings.timeout, connect=min(5.0, settings.timeout)),
            follow_redirects=False,
        )
        self._lock = threading.Lock()
        self.reads = 0

    def close(self) -> None:
        if self._own:
            self.http.close()

    def url(self, event_id: str) -> str:
        # Plain replacement, not str.format: a URL may hold other braces.
        return self.template.replace(PROBE_PLACEHOLDER, quote(event_id, safe=""))

    def count(self, event_id: str) -> int:
        """The receiver's count for `event_id`, or ProbeError saying what came instead."""
        url = self.url(event_id)
        with self._lock:
            self.reads += 1
        try:
            response = self.http.get(url)
        except httpx.TimeoutException as exc:
            raise ProbeError(url, "did not answer in time") from exc
        except httpx.HTTPError as exc:
            reason = (str(exc).splitlines() or [""])[0] or type(exc).__name__
            raise ProbeError(url, f"failed: {reason}") from exc
        if response.status_code != 200:
            raise ProbeError(
                url, f"answered {response.status_code} with {_shown(response.content)}; expected 200"
            )
        try:
            data: Any = json.loads(response.content)
        except ValueError:
            raise ProbeError(
                url, f"answered 200 with {_shown(response.content)}, not JSON; expected {_expected(event_id)}"
            ) from None
        processed = data.get("processed") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or data.get("event_id") != event_id
            or not isinstance(processed, int)
            or isinstance(processed, bool)
            or processed < 0
        ):
            raise ProbeError(
                url,
                f"answered {_shown(response.content)}; expected {_expected(event_id)}",
            )
        return processed

    def counts(self, event_ids: tuple[str, ...]) -> dict[str, int]:
        return {event_id: self.count(event_id) for event_id in event_ids}

    def wait_for(self, event_id: str, at_least: int) -> int:
        """The count once it reaches `at_least`, polling up to the settle time (for receivers
        that record a little after answering); the last count read if it never does."""
        deadline = time.monotonic() + self._settle
        while True:
            found = self.count(event_id)
            if found >= at_least or time.monotonic() >= deadline:
                return found
            time.sleep(_POLL)


def _expected(event_id: str) -> str:
    return f'{{"event_id": "{event_id}", "processed": <integer >= 0>}}'


def _shown(body: bytes) -> str:
    if not body:
        return "an empty body"
    text = body[:_SHOWN].decode("utf-8", "replace")
    return repr(text) + ("..." if len(body) > _SHOWN else "")
