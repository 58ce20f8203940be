"""SP-API notifications. Amazon delivers them to SQS or EventBridge, unsigned; the mock
sends the same JSON document to the harness's webhook URL."""

from __future__ import annotations

import uuid
from typing import Any

from clawcheck.platforms.amazon.state import Order, iso

__all__ = ["order_change"]


def order_change(order: Order, client_id: str, now: float) -> dict[str, Any]:
    """The ORDER_CHANGE notification (schemas/notifications/OrderChangeNotification.json)."""
    summary = order.to_json()
    return {
        "NotificationVersion": "1.0",
        "NotificationType": "ORDER_CHANGE",
        "PayloadVersion": "1.0",
        "EventTime": iso(now),
        "Payload": {
            "OrderChangeNotification": {
                "NotificationLevel": "OrderLevel",
                "SellerId": order.seller,
                "AmazonOrderId": order.id,
                "OrderChangeType": "OrderStatusChange",
                "OrderChangeTrigger": {
                    "TimeOfOrderChange": iso(order.updated),
                    "ChangeReason": "OrderStatusChange",
                },
                "Summary": {
                    "MarketplaceId": order.marketplace,
                    "OrderStatus": order.status,
                    "PurchaseDate": summary["PurchaseDate"],
                    "DestinationPostalCode": order.postal_code,
                    "FulfillmentType": order.channel,
                    "OrderType": "StandardOrder",
                    "NumberOfItemsShipped": summary["NumberOfItemsShipped"],
                    "NumberOfItemsUnshipped": summary["NumberOfItemsUnshipped"],
                    "OrderItems": [
                        {
                            "OrderItemId": i.id,
                            "SellerSKU": i.sku,
                            "OrderItemStatus": "Shipped" if i.unshipped == 0 else "Unshipped",
                            "Quantity": i.quantity,
                            "QuantityShipped": i.shipped,
                        }
                        for i in order.items
                    ],
                },
            }
        },
        "NotificationMetadata": {
            "ApplicationId": "amzn1.sellerapps.app." + str(uuid.uuid5(uuid.NAMESPACE_URL, client_id)),
            "SubscriptionId": str(uuid.uuid5(uuid.NAMESPACE_URL, order.seller)),
            "PublishTime": iso(now),
            "NotificationId": str(uuid.uuid4()),
        },
    }
