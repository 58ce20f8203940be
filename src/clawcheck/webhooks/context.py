"""What a check works with: the sender, the probe, the settings, and one shared control delivery.

The control is a plain valid delivery, sent once per run and remembered. It is
`webhook.valid_accepted`'s delivery, and it is the premise of the other checks: a check
whose verdict depends on valid deliveries being accepted (or seen as processed) reports
`skip`, naming the check that failed, when the control shows they are not. One root cause,
one failure.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clawcheck.core.redact import Redactor
from clawcheck.webhooks.checks._base import NotVerifiable
from clawcheck.webhooks.probe import Probe
from clawcheck.webhooks.sender import Delivery, Exchange, Sender
from clawcheck.webhooks.settings import ReceiverSettings

__all__ = ["NO_PROBE", "Context", "Control"]

NO_PROBE = "no probe: processing cannot be observed (pass --probe URL_TEMPLATE to verify it)"


@dataclass(frozen=True, slots=True)
class Control:
    exchange: Exchange
    processed: int | None  # None without a probe


class Context:
    """Shared by every check of one run; thread-safe."""

    def __init__(
        self, settings: ReceiverSettings, sender: Sender, probe: Probe | None, redactor: Redactor
    ) -> None:
        self.settings = settings
        self.sender = sender
        self.probe = probe
        self.redactor = redactor
        self.metrics: dict[str, Any] = {}
        self._control: Exchange | None = None
        self._control_processed: int | None = None
        self._lock = threading.Lock()

    # -- sending ------------------------------------------------------------------------------------------

    def delivery(self, event_id: str | None = None, **options: Any) -> Delivery:
        return self.sender.delivery(event_id, **options)

    def deliver(self, delivery: Delivery) -> Exchange:
        return self.sender.send(delivery)

    # -- observing ----------------------------------------------------------------------------------------

    def require_probe(self) -> Probe:
        if self.probe is None:
            raise NotVerifiable(NO_PROBE)
        return self.probe

    def counts(self, event_ids: Sequence[str]) -> dict[str, int]:
        return self.require_probe().counts(tuple(event_ids))

    def wait_for(self, event_id: str, at_least: int = 1) -> int:
        return self.require_probe().wait_for(event_id, at_least)

    # -- premises -----------------------------------------------------------------------------------------

    def control_exchange(self) -> Exchange:
        """The run's plain valid delivery and its answer (sent once, on first use)."""
        with self._lock:
            if self._control is None:
                self._control = self.deliver(self.delivery(note="a plain valid delivery (the run's control)"))
            return self._control

    def control(self) -> Control:
        """The control delivery and, with a probe, how often it was processed. A probe that fails
        here raises ProbeError (the check fails) and is asked again by the next check."""
        exchange = self.control_exchange()
        with self._lock:
            if self.probe is not None and self._control_processed is None:
                self._control_processed = self.probe.wait_for(exchange.delivery.event_id, 1)
            return Control(exchange, self._control_processed)

    def require_accepted(self) -> None:
        """Skip unless a plain valid delivery is answered 2xx (else webhook.valid_accepted fails)."""
        exchange = self.control_exchange()
        if not exchange.accepted:
            raise NotVerifiable(
                f"a plain valid delivery was answered {exchange.answer()}, so this rule cannot be "
                "judged; see webhook.valid_accepted"
            )

    def require_processed(self) -> Probe:
        """Skip unless the probe shows a plain valid delivery processed exactly once (else
        webhook.valid_processed fails): only then does a count of 0 mean 'not processed'."""
        probe = self.require_probe()
        control = self.control()
        if control.processed == 0 and not control.exchange.accepted:
            self.require_accepted()
        if control.processed != 1:
            raise NotVerifiable(
                f"the probe counts a plain valid delivery as processed {control.processed} times, not 1, "
                "so counts cannot be trusted; see webhook.valid_processed"
            )
        return probe
