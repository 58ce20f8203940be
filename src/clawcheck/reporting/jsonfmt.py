"""The canonical results document."""

from __future__ import annotations

import json

from clawcheck.core.results import SuiteResult
from clawcheck.reporting._registry import FORMATS


@FORMATS.register("json")
def render_json(result: SuiteResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
