"""How the Lazada API renders its objects: orders, order items, products (the fields clients use).

Field names, types and formats follow the API reference and its response samples: ids are
numbers, order `price` is a decimal string, item prices are numbers, date-times are
venture-local `yyyy-MM-dd HH:mm:ss +hhmm`, product times are epoch milliseconds as text.
"""

from __future__ import annotations

from typing import Any

from clawcheck.platforms.lazada.catalog import VENTURES, LazadaState, Order, OrderItem, Product, Seller
from clawcheck.platforms.lazada.protocol import local_time

__all__ = ["order_item_json", "order_json", "product_json", "token_json"]


def order_json(order: Order) -> dict[str, Any]:
    venture = VENTURES[order.country]
    address = order.customer.to_dict()
    return {
        "order_id": order.order_id,
        "order_number": order.order_id,
        "created_at": local_time(order.created, venture.utc_offset),
        "updated_at": local_time(order.updated, venture.utc_offset),
        "address_updated_at": local_time(order.created, venture.utc_offset),
        "statuses": order.statuses,
        "price": f"{order.price:.2f}",
        "shipping_fee": float(order.shipping_fee),
        "voucher": 0.0,
        "voucher_code": "",
        "items_count": len(order.items),
        "payment_method": order.payment_method,
        "customer_first_name": order.customer.first_name,
        "customer_last_name": order.customer.last_name,
        "promised_shipping_times": local_time(order.created + 2 * 86400, venture.utc_offset),
        "gift_option": False,
        "gift_message": "",
        "remarks": "",
        "delivery_info": "",
        "extra_attributes": "",
        "national_registration_number": "",
        "branch_number": "",
        "tax_code": "",
        "warehouse_code": "dropshipping",
        "address_shipping": address,
        "address_billing": dict(address),
    }


def order_item_json(order: Order, item: OrderItem, seller: Seller) -> dict[str, Any]:
    venture = VENTURES[order.country]
    return {
        "order_item_id": item.order_item_id,
        "order_id": order.order_id,
        "status": item.status,
        "sku": item.seller_sku,
        "shop_sku": f"{item.item_id}_{order.country.upper()}-{item.sku_id}",
        "sku_id": str(item.sku_id),
        "product_id": str(item.item_id),
        "name": item.name,
        "variation": item.variation,
        "item_price": float(item.price),
        "paid_price": float(item.price),
        "shipping_amount": 0.0,
        "voucher_amount": 0.0,
        "tax_amount": 0.0,
        "currency": venture.currency,
        "package_id": item.package_id,
        "tracking_code": item.tracking_code,
        "tracking_code_pre": "",
        "shipment_provider": item.shipment_provider,
        "shipping_type": "Dropshipping",
        "shipping_provider_type": "standard",
        "shop_id": seller.short_code,
        "is_digital": 0,
        "reason": "",
        "reason_detail": "",
        "return_status": "",
        "invoice_number": "",
        "warehouse_code": "dropshipping",
        "product_detail_url": f"https://{venture.web}/-i{item.item_id}-s{item.sku_id}.html",
        "created_at": local_time(item.created, venture.utc_offset),
        "updated_at": local_time(item.updated, venture.utc_offset),
    }


def product_json(state: LazadaState, product: Product, country: str) -> dict[str, Any]:
    venture = VENTURES[country]
    skus = []
    for sku in product.skus:
        occupied = state.occupied(sku.sku_id)
        skus.append(
            {
                "SellerSku": sku.seller_sku,
                "ShopSku": product.shop_sku(sku, country),
                "SkuId": sku.sku_id,
                "Status": "active",
                "quantity": sku.sellable,
                "Available": sku.sellable,
                "price": float(sku.price),
                "special_price": float(sku.special_price),
                "Url": f"https://{venture.web}/-i{product.item_id}-s{sku.sku_id}.html",
                "multiWarehouseInventories": [
                    {
                        "warehouseCode": "dropshipping",
                        "quantity": sku.sellable,
                        "sellableQuantity": sku.sellable,
                        "occupyQuantity": occupied,
                        "withholdQuantity": 0,
                        "totalQuantity": sku.sellable + occupied,
                    }
                ],
                "fblWarehouseInventories": [],
                "channelInventories": [],
            }
        )
    return {
        "item_id": product.item_id,
        "primary_category": product.category,
        "status": "Active",
        "created_time": str(int(product.created * 1000)),
        "updated_time": str(int(product.updated * 1000)),
        "attributes": {"name": product.name, "brand": product.brand, "source": "asc"},
        "skus": skus,
        "variation": {},
        "trialProduct": False,
    }


def token_json(
    seller: Seller, access: str, refresh: str, expires_in: int, refresh_expires_in: int
) -> dict[str, Any]:
    """The body of /auth/token/create and /auth/token/refresh (the same structure for both)."""
    return {
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": expires_in,
        "refresh_expires_in": refresh_expires_in,
        "country": seller.country,
        "account_platform": "seller_center",
        "account": seller.account,
        "account_id": None,
        "country_user_info": [
            {
                "country": seller.country,
                "seller_id": seller.seller_id,
                "user_id": seller.user_id,
                "short_code": seller.short_code,
            }
        ],
    }
