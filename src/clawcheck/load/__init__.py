"""Load testing with exact percentiles: HDR histograms per operation, SLA verdicts, Locust runs.

Importable without Locust: `histogram`, `stats`, `sla`, `recorder`, `report`, `profiles`
and `runner` never import it. Only `locust_plugin` does, and only the locustfile imports
that, inside a Locust process.
"""

from __future__ import annotations

from clawcheck.load.histogram import Bucket, LatencyHistogram
from clawcheck.load.recorder import Recorder, is_failure
from clawcheck.load.sla import Outcome, Sla, Verdict, p95_verdict, success_verdict

__all__ = [
    "Bucket",
    "LatencyHistogram",
    "Outcome",
    "Recorder",
    "Sla",
    "Verdict",
    "is_failure",
    "p95_verdict",
    "success_verdict",
]
