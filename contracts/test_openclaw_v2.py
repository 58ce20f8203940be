"""The OpenClaw v2 contract suite for this repository.

    pytest contracts                       # against an embedded sandbox
    pytest contracts --target URL          # against your OpenClaw sandbox (credentials: OPENCLAW_* env)

To run it in your own repository, `pip install clawcheck` and keep this one line in a test module.
"""

from clawcheck.contract.suite import *  # noqa: F403
