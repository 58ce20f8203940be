"""Shopee Open Platform API v2 (mock platform `shopee`); see docs/platforms/shopee.md."""

from __future__ import annotations

from clawcheck.platforms.shopee.platform import PARTNERS, Partner, Shopee
from clawcheck.platforms.shopee.wire import base_string, push_authorization, sign

__all__ = ["PARTNERS", "Partner", "Shopee", "base_string", "push_authorization", "sign"]
