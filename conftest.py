"""Shared by the harness's own tests and the contract suite in contracts/.

The clawcheck pytest plugin itself is loaded through its `pytest11` entry point, as in a
user's repository; nothing here changes how `pytest contracts` behaves.
"""

from __future__ import annotations

import os
from pathlib import Path

# Hypothesis keeps a cache; keep it out of the working tree (CI checks out a clean tree).
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(__file__).parent / ".hypothesis"))
