"""The TikTok Shop errors this mock answers: HTTP status, numeric code and message.

Codes and messages come from the Partner Center "common-errors" page and the endpoints'
error tables (docv2), as quoted by open-source clients. HTTP statuses are documented or
observed for 106001 (401), 36009004 with a bad app_key (400), 36009009 (404) and 36009002
(429); the others are this mock's choice. See docs/platforms/tiktok.md.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "Refused", "invalid_param", "warehouse_not_of_shop"]


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    code: int
    message: str

    def with_message(self, message: str) -> Problem:
        return Problem(self.status, self.code, message)


def invalid_param(detail: str) -> Problem:
    """36009004 "invalid param error", with what was wrong (the live API names the field too)."""
    return Problem(400, 36009004, f"invalid param error: {detail}")


# -- gateway: credentials, signature, timestamp, identifiers ------------------------------

APP_KEY_INVALID = Problem(400, 36009004, "Invalid credentials. Invalid `app_key` query parameter.")
SIGN_MISSING = Problem(
    401, 36009004, "Missing credentials. The request does not include a required signature in the query."
)
SIGN_INVALID = Problem(401, 106001, "Invalid credentials. The `sign` query parameter is invalid.")
TIMESTAMP_NEGATIVE = Problem(
    400,
    36009004,
    "Invalid timestamp. The value of the `timestamp` query parameter must not be lesser than 0.",
)
TIMESTAMP_OLD = Problem(
    400,
    36009004,
    "Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than 5 minutes "
    "before the current time.",
)
TIMESTAMP_AHEAD = Problem(
    400,
    36009004,
    "Invalid timestamp. The value of the `timestamp` query parameter must not exceed the current time by "
    "more than 30 seconds.",
)
TOKEN_INVALID = Problem(401, 36009004, "Invalid credentials. The `x-tts-access-token` header is invalid.")
TOKEN_EXPIRED = Problem(
    401, 105002, "Expired credentials. The `access_token` or `x-tts-access-token` header has expired."
)
CIPHER_MISSING = Problem(
    400,
    106013,
    "Missing identifier. The `shop_cipher` query parameter is required to identify the target shop.",
)
CIPHER_INVALID = Problem(400, 36009004, "Invalid identifier. The `shop_cipher` query parameter is invalid.")
CIPHER_UNEXPECTED = Problem(
    400,
    36009004,
    "Unexpected identifier. The `shop_cipher` query parameter is not required for this request.",
)
NOT_JSON = Problem(
    400,
    36009022,
    "Invalid request format. The request body format must be `application/json` for structured data or "
    "`multipart/form-data` for binary files.",
)
PATH_INVALID = Problem(
    404, 36009009, "Invalid path. The specified path does not match any available endpoint."
)
METHOD_INVALID = Problem(
    405, 36009010, "Invalid method. The HTTP method used is not supported by this endpoint."
)
TOO_MANY_REQUESTS = Problem(
    429, 36009002, "Too many requests. You've made too many requests in a short period of time."
)
INTERNAL = Problem(
    500,
    36009003,
    "Internal error. Please try again. If the issue persists after multiple attempts, please contact "
    "platform support.",
)

# -- the token endpoints (HTTP 200 with a non-zero code: this mock's reading) -------------

AUTH_CODE_INVALID = Problem(200, 36004004, "Invalid auth code.")
REFRESH_TOKEN_INVALID = Problem(200, 36004004, "Invalid refresh token.")
APP_SECRET_INVALID = Problem(
    200, 36009004, "Invalid credentials. The `app_secret` query parameter is invalid."
)

# -- business errors of the endpoints ------------------------------------------------------

NOT_SELLERS = Problem(400, 21008111, "The order or package does not belong to the current seller.")
PACKAGE_NOT_SHIPPABLE = Problem(
    400,
    21011007,
    "The package status does not allow this operation. Only packages awaiting shipment can ship.",
)
PRODUCT_MISSING = Problem(400, 12019150, "The product ID does not exist.")
SKU_NOT_OF_PRODUCT = Problem(400, 12052557, "The SKU ID does not belong to the product.")
SKU_ID_MISSING = Problem(400, 12052036, "The SKU ID is necessary")
STOCK_INVALID = Problem(400, 12019024, "stock count is invalid")
WAREHOUSES_INCOMPLETE = Problem(
    400,
    12019028,
    "Multiple warehouses detected. Include all warehouse IDs and the corresponding details and try again.",
)
WAREHOUSE_DUPLICATE = Problem(400, 12052555, "The warehouse id is duplicate")
SKU_DUPLICATE = Problem(400, 12052553, "Sku id duplicate")


def warehouse_not_of_shop(warehouse_id: str) -> Problem:
    return Problem(400, 12052530, f"The warehouse ' {warehouse_id} ' does not belong to this shop/seller.")


class Refused(Exception):
    """Raised by request parsing deep in a handler; the route answers `problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
