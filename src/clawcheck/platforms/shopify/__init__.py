"""Shopify Admin REST API mock: see `platform.py` (the routes) and docs/platforms/shopify.md."""

from clawcheck.platforms.shopify.platform import Shopify

__all__ = ["Shopify"]
