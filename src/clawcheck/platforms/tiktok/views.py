"""How the mock's state looks on the wire: the 202309 JSON shapes of shops, orders and products."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clawcheck.platforms.model import Token
from clawcheck.platforms.tiktok.state import PROVIDERS, LineItem, Order, Product, Seller, Shop

__all__ = ["order_json", "product_json", "shop_json", "token_json"]

# Line-item package status for each order status.
_PACKAGE_STATUS = {
    "UNPAID": "TO_FULFILL",
    "ON_HOLD": "TO_FULFILL",
    "AWAITING_SHIPMENT": "TO_FULFILL",
    "AWAITING_COLLECTION": "PROCESSING",
    "IN_TRANSIT": "FULFILLING",
    "DELIVERED": "COMPLETED",
    "COMPLETED": "COMPLETED",
    "CANCELLED": "CANCELLED",
}

GRANTED_SCOPES = (
    "seller.authorization.info",
    "seller.order.info",
    "seller.fulfillment.basic",
    "seller.fulfillment.package.write",
    "seller.product.basic",
    "seller.product.write",
)


def shop_json(shop: Shop) -> dict[str, Any]:
    return {
        "id": shop.id,
        "name": shop.name,
        "region": shop.region,
        "seller_type": shop.seller_type,
        "cipher": shop.cipher,
        "code": shop.code,
    }


def token_json(token: Token, seller: Seller) -> dict[str, Any]:
    """`*_expire_in` are ABSOLUTE Unix times on TikTok, not durations."""
    return {
        "access_token": token.access,
        "access_token_expire_in": int(token.expires_at or 0),
        "refresh_token": token.refresh or "",
        "refresh_token_expire_in": int(token.refresh_expires_at or 0),
        "open_id": seller.open_id,
        "seller_name": seller.name,
        "seller_base_region": seller.base_region,
        "user_type": 0,
        "granted_scopes": list(GRANTED_SCOPES),
    }


def order_json(order: Order, shop: Shop) -> dict[str, Any]:
    sub_total = order.sub_total()
    total = sub_total + Decimal(order.shipping_fee)
    data: dict[str, Any] = {
        "id": order.id,
        "status": order.status,
        "create_time": order.create_time,
        "update_time": order.update_time,
        "user_id": f"70214368104682{order.id[-5:]}",
        "buyer_email": f"v2b{order.id[-6:]}@scs.tiktokw.us",
        "buyer_message": "",
        "fulfillment_type": "FULFILLMENT_BY_SELLER",
        "shipping_type": order.shipping_type,
        "delivery_option_name": "Standard Shipping",
        "warehouse_id": shop.warehouses[0],
        "is_cod": False,
        "packages": [{"id": order.package_id}],
        "payment": {
            "currency": shop.currency,
            "sub_total": f"{sub_total:.2f}",
            "shipping_fee": order.shipping_fee,
            "seller_discount": "0.00",
            "platform_discount": "0.00",
            "tax": "0.00",
            "total_amount": f"{total:.2f}",
        },
        "recipient_address": {
            "name": order.buyer,
            "phone_number": "(+44)79***1234" if shop.region == "GB" else "(+1)213-***-1234",
            "full_address": f"{order.city_line} {order.postal_code}",
            "address_line1": order.city_line.split(",")[0],
            "postal_code": order.postal_code,
            "region_code": shop.region,
        },
        "line_items": [_line_json(order, line) for line in order.lines],
    }
    if order.paid_time is not None:
        data["paid_time"] = order.paid_time
    if order.rts_time is not None:
        data["rts_time"] = order.rts_time
    if order.tracking_number:
        data["tracking_number"] = order.tracking_number
        data["shipping_provider_id"] = order.provider_id
        data["shipping_provider"] = PROVIDERS.get(order.provider_id, "Seller shipping provider")
    return data


def _line_json(order: Order, line: LineItem) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": line.id,
        "sku_id": line.sku.id,
        "product_id": line.product.id,
        "product_name": line.product.title,
        "sku_name": line.sku.seller_sku,
        "seller_sku": line.sku.seller_sku,
        "sale_price": line.sku.price,
        "original_price": line.sku.price,
        "display_status": order.status,
        "package_id": order.package_id,
        "package_status": _PACKAGE_STATUS.get(order.status, "TO_FULFILL"),
    }
    if order.tracking_number:
        item["tracking_number"] = order.tracking_number
        item["shipping_provider_id"] = order.provider_id
        item["shipping_provider_name"] = PROVIDERS.get(order.provider_id, "Seller shipping provider")
    if order.rts_time is not None:
        item["rts_time"] = order.rts_time
    return item


def product_json(product: Product, currency: str) -> dict[str, Any]:
    return {
        "id": product.id,
        "title": product.title,
        "status": product.status,
        "create_time": product.create_time,
        "update_time": product.update_time,
        "skus": [
            {
                "id": sku.id,
                "seller_sku": sku.seller_sku,
                "price": {"currency": currency, "sale_price": sku.price, "tax_exclusive_price": sku.price},
                "inventory": [{"warehouse_id": w, "quantity": q} for w, q in sku.inventory.items()],
            }
            for sku in product.skus
        ],
    }
