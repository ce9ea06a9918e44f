"""The VideoSDK hook: the one place that knows HTTP, authentication, retries and the base URL."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any, cast
from urllib.parse import quote

import jwt
import requests
import tenacity
from airflow.sdk import BaseHook
from airflow.sdk.exceptions import AirflowNotFoundException
from airflow.sdk.log import mask_secret
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from videosdk_provider.exceptions import (
    VideoSDKAmbiguousCreateError,
    VideoSDKAuthError,
    VideoSDKConflictError,
    VideoSDKConnectionError,
    VideoSDKError,
    VideoSDKNotFoundError,
    VideoSDKPermissionError,
    VideoSDKRateLimitError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.models import Room
from videosdk_provider.request_body import validate_room_body

DEFAULT_BASE_URL = "https://api.videosdk.live"
DEFAULT_TIMEOUT = (10.0, 30.0)
DEFAULT_TOKEN_TTL = 600
DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_BACKOFF = 1.0
DEFAULT_RETRY_BACKOFF_MAX = 30.0
DEFAULT_RETRY_DEADLINE = 120.0
#: A token is re-signed this many seconds before it expires (as the official Node SDK does).
TOKEN_REFRESH_MARGIN = 60
#: The management token: REST API only (``crawler``), v2, the Node SDK's permissions.
MANAGEMENT_PERMISSIONS = ("allow_join", "allow_mod")
_MESSAGE_KEYS = ("message", "error", "msg", "statusMessage")
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-amz-request-id")
_MAX_MESSAGE_LENGTH = 500

_ERRORS_BY_STATUS: dict[int, type[VideoSDKError]] = {
    400: VideoSDKValidationError,
    401: VideoSDKAuthError,
    402: VideoSDKNotFoundError,
    403: VideoSDKPermissionError,
    404: VideoSDKNotFoundError,
    409: VideoSDKConflictError,
    422: VideoSDKValidationError,
}


@dataclass(frozen=True)
class _Settings:
    """What the hook reads from its connection and arguments, resolved once."""

    conn_id: str
    api_key: str
    secret: str = field(repr=False)
    base_url: str
    timeout: tuple[float, float]
    token_ttl: int
    max_retries: int
    retry_backoff: float
    retry_backoff_max: float
    retry_deadline: float


class _RetryableFailure(Exception):
    """One attempt failed in a way that may be retried: an answer, or a transport error."""

    def __init__(
        self,
        *,
        response: requests.Response | None = None,
        cause: requests.RequestException | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(response.status_code if response is not None else type(cause).__name__)
        self.response = response
        self.cause = cause
        self.retry_after = retry_after


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _was_never_sent(error: requests.RequestException) -> bool:
    """Whether a transport error happened before the request could reach the server."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    return isinstance(getattr(reason, "reason", None), NewConnectionError) or isinstance(
        reason, NewConnectionError
    )


def parse_body(response: requests.Response) -> Any:
    """Parse a success body: JSON when it parses, else the bare text (some endpoints answer a string)."""
    text = response.text
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class VideoSDKHook(BaseHook):
    """
    Talk to the VideoSDK REST API with a connection's API key and secret.

    The hook signs a short-lived management JWT (HS256) itself, caches it and re-signs it shortly
    before it expires, and sends it bare in ``Authorization``. Every call has a finite timeout; 429
    is retried for any request (honouring ``Retry-After``), 5xx and lost answers only where a repeat
    is safe. Failures raise :class:`~videosdk_provider.exceptions.VideoSDKError` subclasses.

    Arguments override the connection's extras, which override the defaults.

    :param videosdk_conn_id: Airflow connection id of type ``videosdk``.
    :param timeout: Seconds to wait for the server: one number for the read timeout, or
        ``(connect, read)``.
    :param token_ttl: Lifetime of each signed management token, in seconds.
    :param max_retries: Retries after the first attempt (0 disables retrying).
    :param retry_backoff: First backoff in seconds, doubled on each retry, with jitter.
    :param retry_backoff_max: Longest single wait, also the cap on ``Retry-After``.
    :param retry_deadline: No retry starts once this many seconds have passed since the first attempt.
    :param pool_size: HTTP connections kept alive, for concurrent calls through one hook.
    """

    conn_name_attr = "videosdk_conn_id"
    default_conn_name = "videosdk_default"
    conn_type = "videosdk"
    hook_name = "VideoSDK"

    def __init__(
        self,
        videosdk_conn_id: str = default_conn_name,
        *,
        timeout: float | tuple[float, float] | None = None,
        token_ttl: int | None = None,
        max_retries: int | None = None,
        retry_backoff: float | None = None,
        retry_backoff_max: float | None = None,
        retry_deadline: float | None = None,
        pool_size: int = 10,
    ) -> None:
        super().__init__()
        self.videosdk_conn_id = videosdk_conn_id
        self._overrides: dict[str, Any] = {
            "timeout": timeout,
            "token_ttl": token_ttl,
            "max_retries": max_retries,
            "retry_backoff": retry_backoff,
            "retry_backoff_max": retry_backoff_max,
            "retry_deadline": retry_deadline,
        }
        self.pool_size = pool_size
        self._token_lock = threading.Lock()
        self._token: tuple[str, int] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(videosdk_conn_id={self.videosdk_conn_id!r})"

    # Connection and settings

    @cached_property
    def settings(self) -> _Settings:
        """The connection's credentials and the effective transport settings."""
        conn = self.get_connection(self.videosdk_conn_id)
        if not conn.login or not conn.password:
            missing = "API key (login)" if not conn.login else "secret (password)"
            raise AirflowNotFoundException(
                f"connection {self.videosdk_conn_id!r} has no {missing}: set it in the connection"
            )
        mask_secret(conn.password)
        extra = conn.extra_dejson

        def pick(name: str, default: Any) -> Any:
            if self._overrides.get(name) is not None:
                return self._overrides[name]
            value = extra.get(name)
            return default if value in (None, "") else value

        return _Settings(
            conn_id=self.videosdk_conn_id,
            api_key=conn.login,
            secret=conn.password,
            base_url=self._base_url(conn.host, conn.port),
            timeout=self._timeout(pick("timeout", DEFAULT_TIMEOUT)),
            token_ttl=int(pick("token_ttl", DEFAULT_TOKEN_TTL)),
            max_retries=int(pick("max_retries", DEFAULT_MAX_RETRIES)),
            retry_backoff=float(pick("retry_backoff", DEFAULT_RETRY_BACKOFF)),
            retry_backoff_max=float(pick("retry_backoff_max", DEFAULT_RETRY_BACKOFF_MAX)),
            retry_deadline=float(pick("retry_deadline", DEFAULT_RETRY_DEADLINE)),
        )

    @staticmethod
    def _base_url(host: str | None, port: int | None) -> str:
        if not host:
            return DEFAULT_BASE_URL
        url = host.strip().rstrip("/")
        if "://" not in url:
            url = f"https://{url}"
        if port and url.count(":") < 2:
            url = f"{url}:{port}"
        return url

    @staticmethod
    def _timeout(value: Any) -> tuple[float, float]:
        if isinstance(value, (list, tuple)):
            connect, read = value
            return float(connect), float(read)
        return DEFAULT_TIMEOUT[0], float(value)

    @property
    def base_url(self) -> str:
        return self.settings.base_url

    @cached_property
    def session(self) -> requests.Session:
        """One keep-alive session per hook, sized for ``pool_size`` concurrent calls."""
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self.pool_size)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
        return session

    def get_conn(self) -> requests.Session:
        return self.session

    # Authentication

    def get_token(self) -> str:
        """Return the management token, signed once per lifetime and re-signed shortly before expiry."""
        now = int(time.time())
        cached = self._token
        if cached is not None and now < cached[1] - self._refresh_margin():
            return cached[0]
        with self._token_lock:
            cached = self._token
            if cached is not None and now < cached[1] - self._refresh_margin():
                return cached[0]
            settings = self.settings
            expires = now + settings.token_ttl
            claims = {
                "apikey": settings.api_key,
                "permissions": list(MANAGEMENT_PERMISSIONS),
                "version": 2,
                "roles": ["crawler"],
                "iat": now,
                "exp": expires,
            }
            token = jwt.encode(claims, settings.secret, algorithm="HS256")
            mask_secret(token)
            self._token = (token, expires)
            return token

    def _refresh_margin(self) -> int:
        return min(TOKEN_REFRESH_MARGIN, self.settings.token_ttl // 2)

    # Requests

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """
        Call the API and return the parsed answer, retrying where that is safe.

        :param idempotent: Whether repeating the request cannot do it twice; defaults to
            ``True`` for GET, PUT, DELETE, HEAD and OPTIONS. Decides whether 5xx answers and
            lost answers are retried (429 always is: the server refused before doing anything).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")
        settings = self.settings
        url = settings.base_url + path
        body = json.dumps(json_body) if json_body is not None else None

        def attempt() -> requests.Response:
            try:
                response = self.session.request(
                    method,
                    url,
                    data=body,
                    params=params,
                    headers={"Authorization": self.get_token()},
                    timeout=settings.timeout,
                )
            except requests.RequestException as error:
                if idempotent or _was_never_sent(error):
                    raise _RetryableFailure(cause=error) from error
                raise self._transport_error(error, method, path, ambiguous=True) from error
            if response.status_code == 429:
                retry_after = _parse_retry_after(response.headers.get("Retry-After"))
                raise _RetryableFailure(response=response, retry_after=retry_after)
            if response.status_code >= 500 and idempotent:
                raise _RetryableFailure(response=response)
            return response

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_RetryableFailure),
            stop=tenacity.stop_after_attempt(settings.max_retries + 1)
            | tenacity.stop_before_delay(settings.retry_deadline),
            wait=self._wait,
            before_sleep=lambda state: self._log_retry(state, method, path),
            reraise=True,
        )
        try:
            response = retrying(attempt)
        except _RetryableFailure as failure:
            if failure.cause is not None:
                raise self._transport_error(failure.cause, method, path, ambiguous=False) from failure.cause
            response = cast("requests.Response", failure.response)
        if response.status_code >= 400:
            raise self._api_error(response, method, path)
        return parse_body(response)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Honour ``Retry-After`` (capped); otherwise exponential backoff with jitter."""
        settings = self.settings
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, _RetryableFailure) and failure.retry_after is not None:
            return min(failure.retry_after, settings.retry_backoff_max)
        ceiling = min(settings.retry_backoff * 2.0 ** (state.attempt_number - 1), settings.retry_backoff_max)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _log_retry(self, state: tenacity.RetryCallState, method: str, path: str) -> None:
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, _RetryableFailure) and failure.response is not None:
            reason = f"answered HTTP {failure.response.status_code}"
        else:
            reason = f"failed ({type(getattr(failure, 'cause', failure)).__name__})"
        self.log.warning(
            "VideoSDK API %s %s %s; retry %d of %d in %.2f s",
            method,
            path,
            reason,
            state.attempt_number,
            self.settings.max_retries,
            state.upcoming_sleep,
        )

    # Errors

    def _redact(self, text: str) -> str:
        """Strip the secret and the current token from text that came back from the wire."""
        secrets = [self.settings.secret] + ([self._token[0]] if self._token else [])
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    def _api_error(self, response: requests.Response, method: str, path: str) -> VideoSDKError:
        status = response.status_code
        message = self._server_message(response)
        request_id = next(
            (response.headers[name] for name in _REQUEST_ID_HEADERS if name in response.headers), None
        )
        details: dict[str, Any] = {"status": status, "method": method, "path": path, "request_id": request_id}
        if status == 401:
            message = (
                f"authentication failed: check the API key and secret of connection "
                f"{self.videosdk_conn_id!r} (server said: {message})"
            )
        if status == 429:
            retry_after = _parse_retry_after(response.headers.get("Retry-After"))
            return VideoSDKRateLimitError(message, retry_after=retry_after, **details)
        error_class = _ERRORS_BY_STATUS.get(status)
        if error_class is None:
            error_class = VideoSDKServerError if status >= 500 else VideoSDKError
        return error_class(message, **details)

    def _server_message(self, response: requests.Response) -> str:
        text = response.text
        message: str = text
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            found = next((payload[key] for key in _MESSAGE_KEYS if payload.get(key)), None)
            message = str(found) if found is not None else text
        elif isinstance(payload, str):
            message = payload
        message = " ".join(message.split()) or response.reason or "no message"
        if len(message) > _MAX_MESSAGE_LENGTH:
            message = message[: _MAX_MESSAGE_LENGTH - 3] + "..."
        return self._redact(message)

    def _transport_error(
        self, error: requests.RequestException, method: str, path: str, *, ambiguous: bool
    ) -> VideoSDKConnectionError:
        kind = "read timed out" if isinstance(error, requests.ReadTimeout) else "connection failed"
        reason = self._redact(f"{kind}: {type(error).__name__}")
        if ambiguous and method == "POST" and path == "/v2/rooms":
            return VideoSDKAmbiguousCreateError(
                f"{reason}; the room may or may not have been created, so the request was not repeated. "
                "Set custom_room_id (for example from the run id) to make room creation idempotent "
                "and safe to retry",
                method=method,
                path=path,
            )
        if ambiguous:
            reason += "; the request may have taken effect, so it was not repeated"
        return VideoSDKConnectionError(reason, method=method, path=path)

    # Rooms

    def create_room(self, **body: Any) -> Room:
        """
        Create a room (``POST /v2/rooms``) from Create Room body fields, checked before sending.

        With ``customRoomId`` the call is idempotent (a repeat returns the existing room), so it is
        retried after a lost answer; without it, it is not.
        """
        validate_room_body(body)
        room = self.request("POST", "/v2/rooms", json_body=body, idempotent="customRoomId" in body)
        return cast("Room", room)

    def get_room(self, room_id: str) -> Room:
        """Fetch a room by its roomId, customRoomId or internal id."""
        return cast("Room", self.request("GET", f"/v2/rooms/{quote(room_id, safe='')}"))

    def validate_room(self, room_id: str) -> Room | None:
        """Return the room if it exists and is active, ``None`` if the API says it is not valid."""
        try:
            room = cast("Room", self.request("GET", f"/v2/rooms/validate/{quote(room_id, safe='')}"))
        except (VideoSDKNotFoundError, VideoSDKValidationError):
            return None
        return None if room.get("disabled") else room

    def iter_rooms(self, *, per_page: int = 20) -> Iterator[Room]:
        """Every room of the account, following ``pageInfo`` through all pages."""
        page = 1
        while True:
            answer = self.request("GET", "/v2/rooms", params={"page": page, "perPage": per_page})
            rooms = answer.get("data") or []
            yield from rooms
            info = answer.get("pageInfo") or {}
            if not rooms or page >= int(info.get("lastPage") or page):
                return
            page += 1

    def deactivate_room(self, room_id: str) -> Room:
        """Deactivate a room by its VideoSDK roomId; no session can start in it afterwards."""
        return cast("Room", self.request("POST", "/v2/rooms/deactivate", json_body={"roomId": room_id}))

    # Connection test

    def test_connection(self) -> tuple[bool, str]:
        """Check the credentials with one cheap read-only call (the UI's Test button)."""
        try:
            self.request("GET", "/v2/rooms", params={"page": 1, "perPage": 1})
        except Exception as error:
            return False, str(error)
        return True, f"Connection successfully tested: the VideoSDK API at {self.base_url} accepted the key"
