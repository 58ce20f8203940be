"""patchListingsItem as Amazon does it: a malformed request is a 400, while a well-formed
submission with bad attribute values is a 200 whose `status` is `INVALID` with issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clawcheck.platforms.amazon.params import Invalid
from clawcheck.platforms.amazon.state import Listing

__all__ = ["INCLUDED_DATA", "Submission", "apply_patch", "included_data"]

INCLUDED_DATA = frozenset(
    {"summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement"}
)
_TOP_LEVEL = re.compile(r"^/attributes/([a-z][a-z0-9_]{0,99})$")
_MAX_QUANTITY = 2**31 - 1
_MAX_PATCHES = 1000


@dataclass
class Submission:
    """The outcome of one patch: accepted (applied) or invalid (issues, nothing applied)."""

    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not any(issue["severity"] == "ERROR" for issue in self.issues)

    def problem(self, code: str, message: str, attribute: str) -> None:
        self.issues.append(
            {"code": code, "message": message, "severity": "ERROR", "attributeNames": [attribute]}
        )


def included_data(values: list[str], default: str) -> frozenset[str]:
    wanted = frozenset(values or [default])
    unknown = sorted(wanted - INCLUDED_DATA)
    if unknown:
        raise Invalid(
            "Invalid 'includedData' provided.",
            f"unknown data set {unknown[0][:32]!r}",
            code="INVALID_ARGUMENT",
        )
    return wanted


def apply_patch(listing: Listing, body: Any) -> Submission:
    """Validate the whole request first; apply it only when every patch is acceptable."""
    patches = _patches(body)
    submission = Submission()
    changes: list[tuple[str, str, list[dict[str, Any]] | None]] = []
    for op, path, value in patches:
        attribute = _TOP_LEVEL.fullmatch(path)
        if attribute is None:
            raise Invalid(
                "Invalid patch path.",
                f"only top-level attributes can be patched, not {path[:64]!r}",
                code="INVALID_ARGUMENT",
            )
        name = attribute.group(1)
        if name == "fulfillment_availability" and value is not None:
            _check_availability(value, submission)
        changes.append((op, name, value))
    if submission.accepted:
        for op, name, value in changes:
            if op == "delete":
                listing.attributes.pop(name, None)
            else:
                listing.attributes[name] = value
    return submission


def _patches(body: Any) -> list[tuple[str, str, list[dict[str, Any]] | None]]:
    if not isinstance(body, dict):
        raise Invalid("Invalid request body.", "the body must be a JSON object", code="INVALID_ARGUMENT")
    if not isinstance(body.get("productType"), str) or not body["productType"].strip():
        raise Invalid("Invalid request body.", "productType is required", code="INVALID_ARGUMENT")
    patches = body.get("patches")
    if not isinstance(patches, list) or not patches or len(patches) > _MAX_PATCHES:
        raise Invalid("Invalid request body.", "patches must be a non-empty array", code="INVALID_ARGUMENT")
    found: list[tuple[str, str, list[dict[str, Any]] | None]] = []
    for patch in patches:
        if not isinstance(patch, dict):
            raise Invalid("Invalid request body.", "each patch must be an object", code="INVALID_ARGUMENT")
        op, path, value = patch.get("op"), patch.get("path"), patch.get("value")
        if op not in ("add", "replace", "delete") or not isinstance(path, str):
            raise Invalid(
                "Invalid request body.",
                "a patch needs op (add, replace, delete) and path",
                code="INVALID_ARGUMENT",
            )
        if op == "delete":
            found.append((op, path, None))
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise Invalid(
                "Invalid request body.",
                f"the value of {op} must be an array of objects",
                code="INVALID_ARGUMENT",
            )
        found.append((op, path, value))
    return found


def _check_availability(value: list[dict[str, Any]], submission: Submission) -> None:
    for entry in value:
        channel = entry.get("fulfillment_channel_code")
        quantity = entry.get("quantity")
        if not isinstance(channel, str) or not channel:
            submission.problem(
                "90220",
                "'fulfillment_channel_code' is required but not supplied.",
                "fulfillment_availability",
            )
        if channel == "DEFAULT" and (
            isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= _MAX_QUANTITY
        ):
            submission.problem(
                "4000001",
                "The provided value for 'Quantity' is invalid: a whole number from 0 to 2147483647.",
                "fulfillment_availability",
            )
