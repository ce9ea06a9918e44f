"""
Token checks for the emulator: the ``Authorization`` header must carry a bare HS256 JWT.

The signature is verified with the standard library (``hmac``) rather than a JWT library so that
the emulator's checks stay independent of the client code that signs tokens, and so that short
secrets do not trigger library key-length warnings inside server threads.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

KNOWN_PERMISSIONS = frozenset({"allow_join", "ask_join", "allow_mod"})
REQUIRED_VERSION = 2
CRAWLER_ROLE = "crawler"
RTC_ROLE = "rtc"
IAT_LEEWAY_SECONDS = 60
CRAWLER_MESSAGE = "Your role must be a CRAWLER in token payload to use V2 API."


class AuthError(Exception):
    """A rejected token: HTTP ``status``, API error ``code`` and a human-readable ``message``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _invalid(message: str) -> AuthError:
    return AuthError(401, "invalid_token", message)


def _forbidden(message: str) -> AuthError:
    return AuthError(403, "unauthorized_token", message)


def _b64url_json(segment: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.b64decode(segment + "=" * (-len(segment) % 4), altchars=b"-_", validate=True)
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"Invalid token: malformed {what}") from exc
    if not isinstance(value, dict):
        raise _invalid(f"Invalid token: {what} is not a JSON object")
    return value


def decode_hs256(token: str, secret: str) -> dict[str, Any]:
    """Verify an HS256 JWT's signature with ``secret`` and return its claims (nothing else checked)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _invalid("Invalid token: not a JWT")
    header = _b64url_json(parts[0], "header")
    if header.get("alg") != "HS256":
        raise _invalid("Invalid token: algorithm must be HS256")
    try:
        signature = base64.b64decode(parts[2] + "=" * (-len(parts[2]) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise _invalid("Invalid token: malformed signature") from exc
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise _invalid("Invalid token: signature verification failed")
    return _b64url_json(parts[1], "payload")


def _int_claim(claims: dict[str, Any], name: str) -> int:
    value = claims.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(f"Invalid token: {name} must be an integer (epoch seconds)")
    return value


def verify_authorization(
    header: str | None, *, api_key: str, secret: str, now: float | None = None
) -> dict[str, Any]:
    """
    Check an ``Authorization`` header value and return the token's claims.

    :raises AuthError: 401 for a missing, prefixed, badly signed, expired or malformed token;
        403 for a wrong ``version`` or a token without the ``crawler`` role (or with ``rtc``).
    """
    token = (header or "").strip()
    if not token:
        raise _invalid("Authorization header is missing: send the JWT itself as its value")
    if token.split(None, 1)[0].lower() in ("bearer", "basic"):
        raise _invalid("Token must be sent without any prefix such as 'Bearer ' or 'Basic '")
    claims = decode_hs256(token, secret)

    if claims.get("apikey") != api_key:
        raise _invalid("Invalid token: apikey does not match")
    permissions = claims.get("permissions")
    if (
        not isinstance(permissions, list)
        or not permissions
        or not all(isinstance(p, str) and p in KNOWN_PERMISSIONS for p in permissions)
    ):
        raise _invalid(
            "Invalid token: permissions must be a non-empty list of " + ", ".join(sorted(KNOWN_PERMISSIONS))
        )
    exp = _int_claim(claims, "exp")
    iat = _int_claim(claims, "iat")
    current = time.time() if now is None else now
    if exp <= current:
        raise _invalid("token expired")
    if iat > current + IAT_LEEWAY_SECONDS:
        raise _invalid("Invalid token: iat is in the future")
    if iat > exp:
        raise _invalid("Invalid token: iat is after exp")

    version = claims.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version != REQUIRED_VERSION:
        raise _forbidden(f"Invalid token: version must be {REQUIRED_VERSION} to use V2 API.")
    roles = claims.get("roles")
    if not isinstance(roles, list):
        raise _forbidden(CRAWLER_MESSAGE)
    if RTC_ROLE in roles:
        raise _forbidden(f"A token with the rtc role cannot call server APIs. {CRAWLER_MESSAGE}")
    if CRAWLER_ROLE not in roles:
        raise _forbidden(CRAWLER_MESSAGE)
    return claims
