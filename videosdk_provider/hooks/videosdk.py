"""The VideoSDK hook: the one place that knows HTTP, authentication, retries and the base URL."""

from __future__ import annotations

import asyncio
import functools
import json
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import parsedate_to_datetime
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote

import httpx
import jwt
import requests
import tenacity
from airflow.sdk import BaseHook
from airflow.sdk.log import mask_secret
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from videosdk_provider._compat import AirflowNotFoundException
from videosdk_provider.exceptions import (
    BatchItemFailure,
    InvalidRequestError,
    VideoSDKAmbiguousCreateError,
    VideoSDKAuthError,
    VideoSDKBatchError,
    VideoSDKConflictError,
    VideoSDKConnectionError,
    VideoSDKError,
    VideoSDKNotFoundError,
    VideoSDKPermissionError,
    VideoSDKRateLimitError,
    VideoSDKServerError,
    VideoSDKUnsafeBatchError,
    VideoSDKValidationError,
)
from videosdk_provider.models import Participant, Room, Session
from videosdk_provider.request_body import (
    SESSION_STATUSES,
    ArgumentChecker,
    check_ids,
    validate_room_bodies,
    validate_room_body,
)

if TYPE_CHECKING:
    from airflow.sdk import Connection

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
#: Participant (join) tokens: join only (``rtc``); the lifetime the API reference's examples use at most.
DEFAULT_PARTICIPANT_TOKEN_TTL = 7200
DEFAULT_PARTICIPANT_PERMISSIONS = ("allow_join",)
DEFAULT_PER_PAGE = 20
#: Answers of ``GET /v2/rooms/validate/{roomId}`` that mean "not a valid room" (as the Node SDK reads them).
_INVALID_ROOM_STATUSES = (400, 402, 404)
_MESSAGE_KEYS = ("message", "error", "msg", "statusMessage")
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-amz-request-id")
_MAX_MESSAGE_LENGTH = 500
_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

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


class _Answer(Protocol):
    """What the hook reads from an HTTP answer; ``requests`` and ``httpx`` responses both fit."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


class _RetryableFailure(Exception):
    """One attempt failed in a way that may be retried: an answer, or a transport error."""

    def __init__(
        self,
        *,
        response: _Answer | None = None,
        cause: Exception | None = None,
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
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # asctime and "-0000" dates carry no zone; HTTP dates are always GMT
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())


def _was_never_sent(error: Exception) -> bool:
    """Whether a ``requests`` or ``httpx`` transport error happened before the request reached the server."""
    if isinstance(error, (requests.ConnectTimeout, httpx.ConnectError, httpx.ConnectTimeout)):
        return True
    reason = error.args[0] if error.args else None
    return isinstance(getattr(reason, "reason", None), NewConnectionError) or isinstance(
        reason, NewConnectionError
    )


def _is_room_create(method: str, path: str) -> bool:
    return method == "POST" and path == "/v2/rooms"


def _not_repeated(method: str, path: str) -> str:
    """Say why a request that may have reached the server was not sent again, and how to make it safe."""
    if _is_room_create(method, path):
        return (
            "the room may or may not have been created, so the request was not repeated. Set "
            "custom_room_id (for example from the run id) to make room creation idempotent and safe to retry"
        )
    return "the request may have taken effect, so it was not repeated"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Build the TLS context of async calls once per process: loading the CA bundle blocks for tens of ms."""
    return httpx.create_ssl_context()


async def _atls_context() -> ssl.SSLContext:
    """Return :func:`_tls_context`, building it in a worker thread the first time, off the event loop."""
    if _tls_context.cache_info().currsize:
        return _tls_context()
    return await asyncio.to_thread(_tls_context)


def _method_and_idempotence(method: str, idempotent: bool | None) -> tuple[str, bool]:
    """Upper-case the method; unless told, only GET, PUT, DELETE, HEAD and OPTIONS are idempotent."""
    method = method.upper()
    if idempotent is None:
        idempotent = method in ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")
    return method, idempotent


def _raise_if_retryable(response: _Answer, idempotent: bool) -> None:
    """Raise :class:`_RetryableFailure` for 429 (always) and 5xx (idempotent only), keeping Retry-After."""
    status = response.status_code
    if status == 429 or (status >= 500 and idempotent):
        retry_after = _parse_retry_after(response.headers.get("Retry-After"))
        raise _RetryableFailure(response=response, retry_after=retry_after)


def _auth_failure(server_message: str, conn_id: str | None = None) -> str:
    """Say that the credentials were refused, and where to fix them."""
    where = f" of connection {conn_id!r}" if conn_id else ""
    return f"authentication failed: check the API key and secret{where} (server said: {server_message})"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "no message"


def parse_body(response: _Answer) -> Any:
    """Parse a success body: JSON when it parses, else the bare text (some endpoints answer a string)."""
    text = response.text
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def sign_token(
    api_key: str,
    secret: str,
    *,
    ttl: int,
    permissions: Sequence[str],
    roles: Sequence[str],
    room_id: str | None = None,
    participant_id: str | None = None,
) -> tuple[str, int]:
    """Sign a v2 VideoSDK JWT (HS256) with the project secret; return it and its expiry (epoch seconds)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "apikey": api_key,
        "permissions": list(permissions),
        "version": 2,
        "roles": list(roles),
    }
    if room_id is not None:
        claims["roomId"] = room_id
    if participant_id is not None:
        claims["participantId"] = participant_id
    claims.update(iat=now, exp=now + ttl)
    return jwt.encode(claims, secret, algorithm="HS256"), now + ttl


async def _aget_connection(hook: BaseHook, conn_id: str) -> Connection:
    """Read a connection without blocking the event loop, on every supported Airflow."""
    try:
        from airflow.providers.common.compat.connection import get_async_connection
    except ImportError:  # common-compat before get_async_connection: Airflow 3.1's own async read
        return await hook.aget_connection(conn_id)
    return await get_async_connection(conn_id, hook=hook)


async def _aget_extra(conn: Connection) -> dict[str, Any]:
    """Read a connection's extras (masking their secrets) without blocking the event loop."""
    try:
        from airflow.providers.common.compat.connection import get_async_extra_dejson
    except ImportError:  # common-compat before get_async_extra_dejson
        from asgiref.sync import sync_to_async

        return cast("dict[str, Any]", await sync_to_async(lambda: conn.extra_dejson)())
    return await get_async_extra_dejson(conn)


async def _amask_secret(secret: str) -> None:
    """Mask a secret from async code: ``amask_secret`` (3.3+) or ``mask_secret`` in a worker thread."""
    try:
        from airflow.sdk.log import amask_secret
    except ImportError:  # Airflow before 3.3: blocking on the supervisor is only safe off the loop
        from asgiref.sync import sync_to_async

        await sync_to_async(mask_secret)(secret)
        return
    await amask_secret(secret)


def _page_data(answer: Any) -> list[Any] | None:
    """Items of a ``{pageInfo, data: [...]}`` page; None if the answer has another shape."""
    data = answer.get("data") if isinstance(answer, dict) else None
    return data if isinstance(data, list) else None


def _page_participants(answer: Any) -> list[Any] | None:
    """Participants of a ``…/participants`` page, whose ``data`` is the session."""
    data = answer.get("data") if isinstance(answer, dict) else None
    participants = data.get("participants") if isinstance(data, dict) else None
    return participants if isinstance(participants, list) else None


def _page_active_participants(answer: Any) -> list[Any] | None:
    """Participants of a ``…/participants/active`` page, whose ``data`` lists sessions."""
    sessions = _page_data(answer)
    if sessions is None:
        return None
    return [
        person
        for session in sessions
        if isinstance(session, dict)
        for person in session.get("participants") or []
    ]


def _is_last_page(answer: Any, page: int, items: list[Any]) -> bool:
    """Whether paging stops: an empty page, or ``currentPage >= lastPage`` (or no ``pageInfo`` to go on)."""
    info = answer.get("pageInfo") if isinstance(answer, dict) else None
    if not items or not isinstance(info, dict):
        return True
    try:
        return int(info.get("currentPage") or page) >= int(info["lastPage"])
    except (KeyError, TypeError, ValueError):
        return True


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
    :param retry_deadline: Seconds after the first attempt by which every retry must have started: a
        wait (``Retry-After`` included) that would end later is not begun, and the last error is raised.
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
        settings = self._settings_from(conn, conn.extra_dejson)
        mask_secret(settings.secret)
        return settings

    async def _asettings(self) -> _Settings:
        """Resolve :attr:`settings` without blocking the event loop (for triggers and async code)."""
        if "settings" not in self.__dict__:
            conn = await _aget_connection(self, self.videosdk_conn_id)
            settings = self._settings_from(conn, await _aget_extra(conn))
            await _amask_secret(settings.secret)
            self.__dict__["settings"] = settings  # where the cached property keeps its value
        return self.settings

    def _settings_from(self, conn: Connection, extra: Mapping[str, Any]) -> _Settings:
        """Combine the connection, its extras, the hook's arguments and the defaults."""
        if not conn.login or not conn.password:
            missing = "API key (login)" if not conn.login else "secret (password)"
            raise AirflowNotFoundException(
                f"connection {self.videosdk_conn_id!r} has no {missing}: set it in the connection"
            )

        def pick(name: str, default: Any) -> Any:
            if self._overrides.get(name) is not None:
                return self._overrides[name]
            value = extra.get(name)
            return default if value in (None, "") else value

        check = ArgumentChecker(at_parse_time=False)
        where = f"connection {self.videosdk_conn_id!r}"

        def number(name: str, default: float, *, low: float, integer: bool = False) -> float:
            return check.setting(f"{where}: {name}", pick(name, default), low=low, integer=integer)

        base_url = self._base_url(conn.host, conn.port)
        check.url(f"{where}: host", base_url)
        timeout = pick("timeout", DEFAULT_TIMEOUT)
        if isinstance(timeout, (list, tuple)) and len(timeout) == 2:
            connect = check.setting(f"{where}: timeout[0]", timeout[0], low=0.001)
            read = check.setting(f"{where}: timeout[1]", timeout[1], low=0.001)
        else:
            connect, read = DEFAULT_TIMEOUT[0], check.setting(f"{where}: timeout", timeout, low=0.001)
        settings = _Settings(
            conn_id=self.videosdk_conn_id,
            api_key=conn.login,
            secret=conn.password,
            base_url=base_url,
            timeout=(connect, read),
            token_ttl=int(number("token_ttl", DEFAULT_TOKEN_TTL, low=2, integer=True)),
            max_retries=int(number("max_retries", DEFAULT_MAX_RETRIES, low=0, integer=True)),
            retry_backoff=number("retry_backoff", DEFAULT_RETRY_BACKOFF, low=0),
            retry_backoff_max=number("retry_backoff_max", DEFAULT_RETRY_BACKOFF_MAX, low=0),
            retry_deadline=number("retry_deadline", DEFAULT_RETRY_DEADLINE, low=0),
        )
        check.raise_problems()
        return settings

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

    @property
    def base_url(self) -> str:
        """The API's base URL: the connection's host (and port), or the VideoSDK cloud's."""
        return self.settings.base_url

    @cached_property
    def session(self) -> requests.Session:
        """One keep-alive session per hook, sized for ``pool_size`` concurrent calls."""
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self.pool_size)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(_HEADERS)
        return session

    def get_conn(self) -> requests.Session:
        return self.session

    # Authentication

    def get_token(self) -> str:
        """Return the management token, signed once per lifetime and re-signed shortly before expiry."""
        token = self._cached_token()
        if token is not None:
            return token
        with self._token_lock:
            token = self._cached_token()
            if token is None:
                token, expires = self._sign_management_token()
                mask_secret(token)
                self._token = (token, expires)
            return token

    async def aget_token(self) -> str:
        """Return the management token like :meth:`get_token`, without blocking the event loop."""
        await self._asettings()
        token = self._cached_token()
        if token is None:
            token, expires = self._sign_management_token()
            await _amask_secret(token)
            self._token = (token, expires)
        return token

    def _cached_token(self) -> str | None:
        """Return the cached management token, unless it is about to expire."""
        cached = self._token
        if cached is not None and int(time.time()) < cached[1] - self._refresh_margin():
            return cached[0]
        return None

    def _sign_management_token(self) -> tuple[str, int]:
        settings = self.settings
        return sign_token(
            settings.api_key,
            settings.secret,
            ttl=settings.token_ttl,
            permissions=MANAGEMENT_PERMISSIONS,
            roles=("crawler",),
        )

    def _refresh_margin(self) -> int:
        return min(TOKEN_REFRESH_MARGIN, self.settings.token_ttl // 2)

    def participant_token(
        self,
        room_id: str | None = None,
        participant_id: str | None = None,
        *,
        permissions: Sequence[str] = DEFAULT_PARTICIPANT_PERMISSIONS,
        ttl: int = DEFAULT_PARTICIPANT_TOKEN_TTL,
    ) -> str:
        """
        Sign a join token for an end user of a client SDK (role ``rtc``: it cannot call the REST API).

        The token is masked in logs; hand it to the participant, never to XCom.

        :param room_id: Restrict the token to this room.
        :param participant_id: Restrict the token to this participant id.
        :param permissions: ``allow_join`` (join directly), ``ask_join`` (ask to be admitted) and/or
            ``allow_mod`` (moderate others); ``ask_join`` never goes with the other two.
        :param ttl: Lifetime in seconds.
        """
        check = ArgumentChecker(at_parse_time=False)
        check.identifier("room_id", room_id, optional=True)
        check.identifier("participant_id", participant_id, optional=True)
        check.permissions("permissions", permissions)
        check.integer("ttl", ttl, low=1, high=None, unit=" (seconds)")
        check.raise_problems()
        settings = self.settings
        token, _ = sign_token(
            settings.api_key,
            settings.secret,
            ttl=ttl,
            permissions=permissions,
            roles=("rtc",),
            room_id=room_id,
            participant_id=participant_id,
        )
        mask_secret(token)
        return token

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
        method, idempotent = _method_and_idempotence(method, idempotent)
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
                raise self._attempt_failure(error, method, path, idempotent) from error
            _raise_if_retryable(response, idempotent)
            return response

        try:
            answer: _Answer = tenacity.Retrying(**self._retry_policy(method, path))(attempt)
        except _RetryableFailure as failure:
            answer = self._final_failure(failure, method, path)
        return self._parse_answer(answer, method, path, idempotent)

    async def arequest(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """
        Call the API like :meth:`request`, without blocking the event loop (``httpx``).

        Connection, token, retries and errors are the same as :meth:`request`'s.
        """
        method, idempotent = _method_and_idempotence(method, idempotent)
        settings = await self._asettings()
        body = json.dumps(json_body) if json_body is not None else None
        timeout = httpx.Timeout(settings.timeout[1], connect=settings.timeout[0])
        async with httpx.AsyncClient(
            base_url=settings.base_url, timeout=timeout, headers=_HEADERS, verify=await _atls_context()
        ) as client:

            async def attempt() -> httpx.Response:
                try:
                    response = await client.request(
                        method,
                        path,
                        content=body,
                        params=params,
                        headers={"Authorization": await self.aget_token()},
                    )
                except httpx.TransportError as error:
                    raise self._attempt_failure(error, method, path, idempotent) from error
                _raise_if_retryable(response, idempotent)
                return response

            try:
                answer: _Answer = await tenacity.AsyncRetrying(**self._retry_policy(method, path))(attempt)
            except _RetryableFailure as failure:
                answer = self._final_failure(failure, method, path)
        return self._parse_answer(answer, method, path, idempotent)

    def _retry_policy(self, method: str, path: str) -> dict[str, Any]:
        """Tenacity arguments shared by :meth:`request` and :meth:`arequest`."""
        settings = self.settings
        return {
            "retry": tenacity.retry_if_exception_type(_RetryableFailure),
            "stop": tenacity.stop_after_attempt(settings.max_retries + 1)
            | tenacity.stop_before_delay(settings.retry_deadline),
            "wait": self._wait,
            "before_sleep": lambda state: self._log_retry(state, method, path),
            "reraise": True,
        }

    def _attempt_failure(self, error: Exception, method: str, path: str, idempotent: bool) -> Exception:
        """Classify a transport error: retry it where a repeat is safe, else fail at once."""
        if idempotent or _was_never_sent(error):
            return _RetryableFailure(cause=error)
        return self._transport_error(error, method, path, ambiguous=True)

    def _final_failure(self, failure: _RetryableFailure, method: str, path: str) -> _Answer:
        """Return the last answer once retries are spent; raise a transport error as its typed exception."""
        if failure.cause is not None:
            raise self._transport_error(failure.cause, method, path, ambiguous=False) from failure.cause
        return cast("_Answer", failure.response)

    def _parse_answer(self, answer: _Answer, method: str, path: str, idempotent: bool) -> Any:
        if answer.status_code >= 400:
            raise self._api_error(answer, method, path, repeatable=idempotent)
        return parse_body(answer)

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

    def _api_error(
        self, response: _Answer, method: str, path: str, *, repeatable: bool = True
    ) -> VideoSDKError:
        status = response.status_code
        message = self._server_message(response)
        if status >= 500 and not repeatable:
            message += f"; {_not_repeated(method, path)}"
        request_id = next(
            (response.headers[name] for name in _REQUEST_ID_HEADERS if name in response.headers), None
        )
        details: dict[str, Any] = {"status": status, "method": method, "path": path, "request_id": request_id}
        if status == 401:
            error = VideoSDKAuthError(_auth_failure(message, self.videosdk_conn_id), **details)
            error.server_message = message
            return error
        if status == 429:
            retry_after = _parse_retry_after(response.headers.get("Retry-After"))
            return VideoSDKRateLimitError(message, retry_after=retry_after, **details)
        if status >= 500 and not repeatable and _is_room_create(method, path):
            return VideoSDKAmbiguousCreateError(message, **details)
        error_class = _ERRORS_BY_STATUS.get(status)
        if error_class is None:
            error_class = VideoSDKServerError if status >= 500 else VideoSDKError
        return error_class(message, **details)

    def _server_message(self, response: _Answer) -> str:
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
        message = " ".join(message.split()) or _reason(response.status_code)
        if len(message) > _MAX_MESSAGE_LENGTH:
            message = message[: _MAX_MESSAGE_LENGTH - 3] + "..."
        return self._redact(message)

    def _transport_error(self, error: Exception, method: str, path: str, *, ambiguous: bool) -> VideoSDKError:
        settings = self.settings
        if _was_never_sent(error):
            kind = f"could not connect to {settings.base_url}: connection failed before anything was sent"
        elif isinstance(error, (requests.ReadTimeout, httpx.ReadTimeout)):
            kind = f"no answer within the read timeout of {settings.timeout[1]:g} s"
        else:
            kind = "the connection failed before an answer arrived"
        reason = self._redact(f"{kind} ({type(error).__name__})")
        if not ambiguous:
            return VideoSDKConnectionError(reason, method=method, path=path)
        message = f"{reason}; {_not_repeated(method, path)}"
        if _is_room_create(method, path):
            return VideoSDKAmbiguousCreateError(message, method=method, path=path)
        return VideoSDKConnectionError(message, method=method, path=path)

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

    def create_rooms(
        self, bodies: Sequence[Mapping[str, Any]], *, max_concurrency: int | None = None
    ) -> list[Room]:
        """
        Create many rooms, up to ``max_concurrency`` requests at a time; return them in input order.

        Every body is checked before the first request, so one bad item creates nothing. Each item
        is then sent as :meth:`create_room` sends it, retries included, over this hook's connection
        pool: ``max_concurrency`` defaults to ``pool_size`` and may not exceed it. When items fail,
        the others still run, then :class:`~videosdk_provider.exceptions.VideoSDKBatchError` lists
        each failure (index, customRoomId, status, message) and keeps the rooms created in ``results``.

        Items with a ``customRoomId`` are idempotent, so repeating the batch creates only what is
        missing. Items without one are not safe to repeat: if any item lacks it, the error is a
        :class:`~videosdk_provider.exceptions.VideoSDKUnsafeBatchError`, which Airflow does not retry.
        """
        validate_room_bodies(bodies)
        concurrency = self.pool_size if max_concurrency is None else max_concurrency
        check = ArgumentChecker(at_parse_time=False)
        unit = " (the hook's pool_size: build the hook with pool_size=max_concurrency for more)"
        check.integer("max_concurrency", concurrency, low=1, high=self.pool_size, unit=unit)
        check.raise_problems()
        if not bodies:
            return []
        # Resolve the connection, the session and the token once, before the threads share them.
        self.get_token()
        self.get_conn()
        results: list[Room | None] = [None] * len(bodies)
        failures: list[BatchItemFailure] = []
        workers = ThreadPoolExecutor(min(concurrency, len(bodies)), thread_name_prefix="videosdk-rooms")
        try:
            futures = {workers.submit(self.create_room, **body): index for index, body in enumerate(bodies)}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except VideoSDKError as error:
                    failures.append(BatchItemFailure(index, bodies[index].get("customRoomId"), error))
        finally:
            # Normally every item is done here; on an interruption (task timeout, kill) stop the queue.
            workers.shutdown(cancel_futures=True)
        if failures:
            failures.sort(key=lambda failure: failure.index)
            unsafe = any("customRoomId" not in body for body in bodies)
            error_class = VideoSDKUnsafeBatchError if unsafe else VideoSDKBatchError
            raise error_class(failures, results, method="POST", path="/v2/rooms")
        return cast("list[Room]", results)

    def get_room(self, room_id: str) -> Room:
        """Fetch a room by its roomId, customRoomId or internal id."""
        check_ids(room_id=room_id)
        return cast("Room", self.request("GET", f"/v2/rooms/{quote(room_id, safe='')}"))

    def validate_room(self, room_id: str) -> Room | None:
        """
        Return the room if it exists and is active, ``None`` if it is not valid.

        ``room_id`` is a roomId or a customRoomId. Not valid: the API answers 400, 402 or 404 (as
        the Node SDK reads them), or the room is deactivated. Other failures raise.
        """
        check_ids(room_id=room_id)
        try:
            room = cast("Room", self.request("GET", f"/v2/rooms/validate/{quote(room_id, safe='')}"))
        except VideoSDKError as error:
            if error.status in _INVALID_ROOM_STATUSES:
                return None
            raise
        return None if room.get("disabled") else room

    def iter_rooms(self, *, per_page: int = DEFAULT_PER_PAGE) -> Iterator[Room]:
        """Every room of the account, newest first, following ``pageInfo`` through all pages."""
        check = ArgumentChecker(at_parse_time=False)
        check.integer("per_page", per_page, low=1, high=None)
        check.raise_problems()
        return self._iter_pages("/v2/rooms", {"perPage": per_page}, _page_data)

    def deactivate_room(self, room_id: str) -> Room:
        """
        Deactivate a room by its VideoSDK roomId; no session can start in it afterwards.

        The API takes only the roomId (a customRoomId is answered 402), and room ids have no
        reliable format, so the room is read first (a GET, which accepts either id): a
        ``room_id`` that is not the room's ``roomId`` is refused with
        :class:`~videosdk_provider.exceptions.InvalidRequestError` naming the roomId to use. A room
        that is already deactivated is returned without a second deactivation, so repeating this
        call (say, a task retry after a lost answer) is safe, although the POST itself is never
        retried.
        """
        room = self.get_room(room_id)
        actual = room.get("roomId")
        if actual != room_id:
            raise InvalidRequestError(
                [
                    (
                        f"room_id: {room_id!r} is not a VideoSDK roomId but another id of room {actual!r} "
                        f"(customRoomId {room.get('customRoomId')!r}); deactivation takes the roomId "
                        f"only, so pass {actual!r}"
                    )
                ]
            )
        if room.get("disabled"):
            self.log.info("VideoSDK room %s is already deactivated", room_id)
            return room
        return cast("Room", self.request("POST", "/v2/rooms/deactivate", json_body={"roomId": room_id}))

    # Sessions and participants

    def iter_sessions(
        self, room_id: str, *, status: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Session]:
        """
        Every session of a room, following ``pageInfo`` through all pages (``GET /v2/sessions``).

        :param room_id: The room's VideoSDK roomId.
        :param status: Only ``"ongoing"`` or only ``"ended"`` sessions; all by default.
        """
        return self._iter_pages("/v2/sessions", self._sessions_query(room_id, status, per_page), _page_data)

    async def aget_sessions(
        self, room_id: str, *, status: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> list[Session]:
        """Every session of a room, as :meth:`iter_sessions` lists them, without blocking the event loop."""
        params = self._sessions_query(room_id, status, per_page)
        sessions: list[Session] = []
        page = 1
        while True:
            answer = await self.arequest("GET", "/v2/sessions", params={**params, "page": page})
            items = self._page_items(answer, _page_data, "/v2/sessions")
            sessions.extend(items)
            if _is_last_page(answer, page, items):
                return sessions
            page += 1

    @staticmethod
    def _sessions_query(room_id: str, status: str | None, per_page: int) -> dict[str, Any]:
        check = ArgumentChecker(at_parse_time=False)
        check.identifier("room_id", room_id)
        if status is not None:
            check.choice("status", status, SESSION_STATUSES)
        check.integer("per_page", per_page, low=1, high=None)
        check.raise_problems()
        query: dict[str, Any] = {"roomId": room_id, "perPage": per_page}
        if status is not None:
            query["status"] = status
        return query

    def get_session(self, session_id: str) -> Session:
        """Fetch one session by its id (``GET /v2/sessions/{sessionId}``)."""
        check_ids(session_id=session_id)
        return cast("Session", self.request("GET", f"/v2/sessions/{quote(session_id, safe='')}"))

    def iter_participants(
        self, session_id: str, *, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Participant]:
        """Everyone who took part in a session, following ``pageInfo`` through all pages."""
        return self._iter_participants(session_id, "participants", per_page, _page_participants)

    def iter_active_participants(
        self, session_id: str, *, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[Participant]:
        """Who is in a session right now, following ``pageInfo`` through all pages."""
        return self._iter_participants(session_id, "participants/active", per_page, _page_active_participants)

    def _iter_participants(
        self, session_id: str, endpoint: str, per_page: int, pick: Callable[[Any], list[Any] | None]
    ) -> Iterator[Participant]:
        check = ArgumentChecker(at_parse_time=False)
        check.identifier("session_id", session_id)
        check.integer("per_page", per_page, low=1, high=None)
        check.raise_problems()
        path = f"/v2/sessions/{quote(session_id, safe='')}/{endpoint}"
        return self._iter_pages(path, {"perPage": per_page}, pick)

    def end_session(self, room_id: str, *, session_id: str | None = None) -> Session:
        """
        End the room's ongoing session (``POST /v2/sessions/end``); never retried once sent.

        :param room_id: The room's roomId.
        :param session_id: End only this session (the API refuses if it is not the ongoing one).
        :return: The session; its ``status`` may still read ``ongoing`` for a moment.
        """
        check = ArgumentChecker(at_parse_time=False)
        check.identifier("room_id", room_id)
        check.identifier("session_id", session_id, optional=True)
        check.raise_problems()
        body = {"roomId": room_id} | ({"sessionId": session_id} if session_id is not None else {})
        return cast("Session", self.request("POST", "/v2/sessions/end", json_body=body))

    def remove_participant(
        self, room_id: str, participant_id: str, *, session_id: str | None = None
    ) -> Session | str:
        """
        Remove a participant from the room's ongoing session; never retried once sent.

        :return: The session (the API reference), or the API's bare confirmation text (the Node SDK).
        """
        check = ArgumentChecker(at_parse_time=False)
        check.identifier("room_id", room_id)
        check.identifier("participant_id", participant_id)
        check.identifier("session_id", session_id, optional=True)
        check.raise_problems()
        body = {"participantId": participant_id, "roomId": room_id}
        if session_id is not None:
            body["sessionId"] = session_id
        return cast("Session | str", self.request("POST", "/v2/sessions/participants/remove", json_body=body))

    # Paging

    def _iter_pages(
        self, path: str, params: Mapping[str, Any], pick: Callable[[Any], list[Any] | None]
    ) -> Iterator[Any]:
        """Yield the items of every page of a paged GET, requesting each page only when it is reached."""
        page = 1
        while True:
            answer = self.request("GET", path, params={**params, "page": page})
            items = self._page_items(answer, pick, path)
            yield from items
            if _is_last_page(answer, page, items):
                return
            page += 1

    @staticmethod
    def _page_items(answer: Any, pick: Callable[[Any], list[Any] | None], path: str) -> list[Any]:
        items = pick(answer)
        if items is None:
            raise VideoSDKError(
                f"unexpected answer: not a page of items ({type(answer).__name__})", method="GET", path=path
            )
        return items

    # Webhooks

    def get_webhook_public_key(self) -> str:
        """Return the PEM public key VideoSDK signs webhooks with (``GET /v2/public/rsa-public-key``)."""
        answer = self.request("GET", "/v2/public/rsa-public-key")
        key = answer.get("publicKey") if isinstance(answer, dict) else None
        if not isinstance(key, str) or "PUBLIC KEY" not in key:
            raise VideoSDKError(
                "unexpected answer: no PEM publicKey", method="GET", path="/v2/public/rsa-public-key"
            )
        return key

    # Connection test

    def test_connection(self) -> tuple[bool, str]:
        """Check the credentials with one cheap read-only call (the UI's Test button)."""
        try:
            self.request("GET", "/v2/rooms", params={"page": 1, "perPage": 1})
        except VideoSDKAuthError as error:
            # The UI tests a throwaway copy of the connection under a random id: naming it would confuse.
            return False, _auth_failure(error.server_message)
        except Exception as error:
            return False, str(error)
        return True, f"Connection successfully tested: the VideoSDK API at {self.base_url} accepted the key"
