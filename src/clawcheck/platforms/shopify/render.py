"""Resources as the Admin REST API renders them (the fields a real client reads)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from clawcheck.platforms.shopify.state import (
    CENT,
    Address,
    Fulfillment,
    FulfillmentOrder,
    LineItem,
    Location,
    Order,
    Product,
    Shop,
    Variant,
)

__all__ = [
    "inventory_level",
    "location",
    "only_fields",
    "order",
    "product",
    "stamp",
    "variant",
]

Json = dict[str, Any]


def stamp(at: float | None) -> str | None:
    """Shopify's date-time: seconds precision, the shop's offset (both stores are on UTC)."""
    if at is None:
        return None
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def gid(kind: str, ident: int) -> str:
    return f"gid://shopify/{kind}/{ident}"


def only_fields(data: Json, fields: Iterable[str] | None) -> Json:
    """`fields=id,name`: only the named top-level fields (unknown names are ignored)."""
    if fields is None:
        return data
    wanted = set(fields)
    return {key: value for key, value in data.items() if key in wanted}


def address(value: Address) -> Json:
    return {
        "first_name": value.first_name,
        "last_name": value.last_name,
        "name": f"{value.first_name} {value.last_name}",
        "company": value.company,
        "address1": value.address1,
        "address2": value.address2,
        "city": value.city,
        "province": value.province,
        "province_code": value.province_code,
        "country": value.country,
        "country_code": value.country_code,
        "zip": value.zip,
        "phone": value.phone,
    }


def line_item(item: LineItem, quantity: int | None = None) -> Json:
    """A line item; `quantity` overrides it where a fulfillment carries part of it."""
    fulfilled = "fulfilled" if item.remaining == 0 else ("partial" if item.fulfilled else None)
    return {
        "id": item.id,
        "admin_graphql_api_id": gid("LineItem", item.id),
        "variant_id": item.variant.id,
        "product_id": item.product.id,
        "title": item.product.title,
        "variant_title": item.variant.title,
        "name": f"{item.product.title} - {item.variant.title}",
        "sku": item.variant.sku,
        "vendor": item.product.vendor,
        "quantity": item.quantity if quantity is None else quantity,
        "current_quantity": item.quantity,
        "fulfillable_quantity": item.remaining,
        "fulfillment_status": fulfilled,
        "fulfillment_service": "manual",
        "price": money(item.variant.price),
        "grams": item.variant.grams,
        "requires_shipping": item.variant.grams > 0,
        "taxable": True,
        "gift_card": item.product.product_type == "Gift Cards",
        "total_discount": "0.00",
    }


def fulfillment(order_id: int, value: Fulfillment) -> Json:
    return {
        "id": value.id,
        "admin_graphql_api_id": gid("Fulfillment", value.id),
        "order_id": order_id,
        "name": value.name,
        "status": "success",
        "service": "manual",
        "location_id": value.location.id,
        "shipment_status": None,
        "tracking_company": value.tracking_company,
        "tracking_number": value.tracking_number,
        "tracking_numbers": [value.tracking_number] if value.tracking_number else [],
        "tracking_url": value.tracking_url,
        "tracking_urls": [value.tracking_url] if value.tracking_url else [],
        "origin_address": None,
        "receipt": {},
        "line_items": [line_item(item, quantity) for item, quantity in value.lines],
        "created_at": stamp(value.created_at),
        "updated_at": stamp(value.created_at),
    }


def _totals(shop: Shop, value: Order) -> Json:
    subtotal = sum((item.variant.price * item.quantity for item in value.line_items), Decimal(0))
    if shop.taxes_included:
        total = subtotal + value.shipping_price
        tax = (total - total / (1 + shop.tax_rate)).quantize(CENT)
    else:
        tax = (subtotal * shop.tax_rate).quantize(CENT)
        total = subtotal + value.shipping_price + tax
    return {
        "subtotal_price": money(subtotal),
        "total_line_items_price": money(subtotal),
        "total_discounts": "0.00",
        "total_tax": money(tax),
        "total_price": money(total),
        "taxes_included": shop.taxes_included,
    }


def order(shop: Shop, value: Order) -> Json:
    buyer = value.address
    return {
        "id": value.id,
        "admin_graphql_api_id": gid("Order", value.id),
        "name": value.name,
        "number": value.number - 1000,
        "order_number": value.number,
        "email": value.email,
        "contact_email": value.email,
        "phone": buyer.phone,
        "created_at": stamp(value.created_at),
        "updated_at": stamp(value.updated_at),
        "processed_at": stamp(value.created_at),
        "closed_at": stamp(value.closed_at),
        "cancelled_at": stamp(value.cancelled_at),
        "cancel_reason": value.cancel_reason,
        "confirmed": True,
        "test": False,
        "currency": shop.currency,
        "presentment_currency": shop.currency,
        "financial_status": value.financial_status,
        "fulfillment_status": value.fulfillment_status,
        **_totals(shop, value),
        "total_weight": sum(item.variant.grams * item.quantity for item in value.line_items),
        "tags": value.tags,
        "note": value.note,
        "source_name": "web",
        "customer": {
            "id": value.customer_id,
            "admin_graphql_api_id": gid("Customer", value.customer_id),
            "email": value.email,
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "phone": buyer.phone,
            "currency": shop.currency,
            "created_at": stamp(value.created_at),
            "updated_at": stamp(value.created_at),
        },
        "billing_address": address(buyer),
        "shipping_address": address(buyer),
        "line_items": [line_item(item) for item in value.line_items],
        "shipping_lines": [
            {
                "id": value.id + 1,
                "title": value.shipping_title,
                "code": value.shipping_title,
                "price": money(value.shipping_price),
                "source": "shopify",
            }
        ],
        "fulfillments": [fulfillment(value.id, f) for f in value.fulfillments],
    }


def assigned_location(value: Location) -> Json:
    return {
        "location_id": value.id,
        "name": value.name,
        "address1": value.address1,
        "address2": None,
        "city": value.city,
        "province": value.province,
        "zip": value.zip,
        "country_code": value.country_code,
        "phone": None,
    }


def fulfillment_order(shop: Shop, value: Order, fo: FulfillmentOrder) -> Json:
    status = fo.status
    actions = {"open": ["create_fulfillment", "hold", "move"], "in_progress": ["create_fulfillment", "hold"]}
    return {
        "id": fo.id,
        "shop_id": shop.id,
        "order_id": value.id,
        "assigned_location_id": fo.location.id,
        "request_status": "unsubmitted",
        "status": status,
        "supported_actions": actions.get(status, []),
        "destination": {"id": fo.id + 1, "email": value.email, **address(value.address)},
        "line_items": [
            {
                "id": line.id,
                "shop_id": shop.id,
                "fulfillment_order_id": fo.id,
                "line_item_id": line.line_item.id,
                "inventory_item_id": line.line_item.variant.inventory_item_id,
                "variant_id": line.line_item.variant.id,
                "quantity": line.quantity,
                "fulfillable_quantity": line.remaining,
            }
            for line in fo.lines
        ],
        "fulfill_at": stamp(fo.created_at),
        "fulfill_by": None,
        "international_duties": None,
        "fulfillment_holds": [],
        "delivery_method": {"id": fo.id + 2, "method_type": "shipping"},
        "assigned_location": assigned_location(fo.location),
        "merchant_requests": [],
        "created_at": stamp(fo.created_at),
        "updated_at": stamp(fo.updated_at),
    }


def location(value: Location) -> Json:
    return {
        "id": value.id,
        "admin_graphql_api_id": gid("Location", value.id),
        "name": value.name,
        "address1": value.address1,
        "address2": None,
        "city": value.city,
        "zip": value.zip,
        "province": value.province,
        "province_code": value.province_code,
        "country": value.country_code,
        "country_code": value.country_code,
        "country_name": value.country_name,
        "phone": None,
        "legacy": False,
        "active": True,
        "created_at": stamp(value.created_at),
        "updated_at": stamp(value.created_at),
    }


def variant(shop: Shop, value: Variant) -> Json:
    stock = [
        available for (item, _), (available, _) in shop.levels.items() if item == value.inventory_item_id
    ]
    return {
        "id": value.id,
        "admin_graphql_api_id": gid("ProductVariant", value.id),
        "product_id": value.product_id,
        "title": value.title,
        "sku": value.sku,
        "barcode": None,
        "price": money(value.price),
        "position": value.position,
        "grams": value.grams,
        "inventory_item_id": value.inventory_item_id,
        "inventory_quantity": sum(stock),
        "inventory_management": "shopify" if value.tracked else None,
        "inventory_policy": "deny",
        "requires_shipping": value.grams > 0,
        "taxable": True,
        "created_at": stamp(value.created_at),
        "updated_at": stamp(value.updated_at),
    }


def product(shop: Shop, value: Product) -> Json:
    return {
        "id": value.id,
        "admin_graphql_api_id": gid("Product", value.id),
        "title": value.title,
        "handle": value.handle,
        "vendor": value.vendor,
        "product_type": value.product_type,
        "status": "active",
        "tags": "",
        "created_at": stamp(value.created_at),
        "updated_at": stamp(value.updated_at),
        "variants": [variant(shop, v) for v in value.variants],
    }


def inventory_level(key: tuple[int, int], level: tuple[int, float]) -> Json:
    item, location_id = key
    return {
        "inventory_item_id": item,
        "location_id": location_id,
        "available": level[0],
        "updated_at": stamp(level[1]),
        "admin_graphql_api_id": f"gid://shopify/InventoryLevel/{location_id}?inventory_item_id={item}",
    }
