"""URLs as they may be shown: storage URLs often carry a pre-signing signature in their query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def public_url(url: str) -> str:
    """Return ``url`` without credentials, query or fragment: what may be logged, raised or recorded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def without_signed_urls(data: Mapping[str, Any]) -> dict[str, Any]:
    """
    Return ``data`` with every ``fileUrl`` (at any depth) made public: fit for an asset event or a log.

    A ``fileUrl`` is a storage URL whose query may be a pre-signing signature; the recording's id
    gets a fresh one from the API when the file is needed.
    """
    return {key: _public_value(key, value) for key, value in data.items()}


def _public_value(key: str, value: Any) -> Any:
    if key == "fileUrl" and isinstance(value, str):
        return public_url(value)
    if isinstance(value, Mapping):
        return without_signed_urls(value)
    if isinstance(value, list):
        return [without_signed_urls(item) if isinstance(item, Mapping) else item for item in value]
    return value
