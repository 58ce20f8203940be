"""WooCommerce REST API v3 (`/wp-json/wc/v3`): one store, consumer keys, OAuth 1.0a over plain HTTP.

`platform.py` holds the registered `WooCommerce` class; `orders.py` and `products.py` its routes;
`oauth.py` WooCommerce's request authentication; `wp.py` the WordPress REST layer; `store.py` the data.
"""

from __future__ import annotations

from clawcheck.platforms.woocommerce.platform import WooCommerce

__all__ = ["WooCommerce"]
