"""
The hook's transport core: the one place that knows HTTP, authentication, retries and the base URL.

:class:`VideoSDKBaseHook` resolves the connection into settings, signs and caches the management
token, sends requests (``requests`` on workers, ``httpx`` in triggers) with the retry policy,
maps failures to typed exceptions, walks paged listings and builds resource paths. Endpoint
methods live in one module per API resource, as thin calls over it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import random
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
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
from videosdk_provider.bodies.checking import Checker
from videosdk_provider.constants import (
    CONN_TYPE,
    DEFAULT_BASE_URL,
    DEFAULT_CONN_ID,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POOL_SIZE,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_BACKOFF_MAX,
    DEFAULT_RETRY_DEADLINE,
    DEFAULT_TOKEN_TTL,
    MIN_TIMEOUT,
    MIN_TOKEN_TTL,
    TOKEN_REFRESH_MARGIN,
)
from videosdk_provider.exceptions import (
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

if TYPE_CHECKING:
    from airflow.sdk import Connection

#: The management token: REST API only (``crawler``), v2, the Node SDK's permissions.
MANAGEMENT_PERMISSIONS = ("allow_join", "allow_mod")
_IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
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

#: Picks the items out of one page of a paged answer; None when the answer is not such a page.
PagePicker = Callable[[Any], "list[Any] | None"]
#: Told each page's items in turn (but the last); True ends the walk after that page.
PageCheck = Callable[[list[Any]], bool]


@dataclass(frozen=True)
class Settings:
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


@dataclass(frozen=True)
class Ambiguity:
    """
    How to report a request that is not safe to repeat and failed after it may have reached the server.

    ``hint`` says what that means and how to make the request safe; ``error`` is the exception
    raised then (by default the one the failure maps to).
    """

    hint: str = "the request may have taken effect, so it was not repeated"
    error: type[VideoSDKError] | None = None


_MAY_HAVE_TAKEN_EFFECT = Ambiguity()


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


class _StopBeforeDeadline(tenacity.stop.stop_base):
    """Stop retrying when the next wait would end past the deadline, counted from the first attempt."""

    def __init__(self, started: float, deadline: float) -> None:
        self.started = started
        self.deadline = deadline

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        waited = time.monotonic() - self.started
        return waited + (retry_state.upcoming_sleep or 0.0) >= self.deadline


def parse_retry_after(value: str | None) -> float | None:
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


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Build the TLS context of async calls once per process: loading the CA bundle blocks for tens of ms."""
    return httpx.create_ssl_context()


async def _atls_context() -> ssl.SSLContext:
    """Return :func:`_tls_context`, building it in a worker thread the first time, off the event loop."""
    if _tls_context.cache_info().currsize:
        return _tls_context()
    return await asyncio.to_thread(_tls_context)


def _raise_if_retryable(response: _Answer, idempotent: bool) -> None:
    """Raise :class:`_RetryableFailure` for 429 (always) and 5xx (idempotent only), keeping Retry-After."""
    status = response.status_code
    if status == 429 or (status >= 500 and idempotent):
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise _RetryableFailure(response=response, retry_after=retry_after)


def auth_failure(server_message: str, conn_id: str | None = None) -> str:
    """Say that the credentials were refused, and where to fix them."""
    where = f" of connection {conn_id!r}" if conn_id else ""
    return f"authentication failed: check the API key and secret{where} (server said: {server_message})"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "no message"


def _parse_body(response: _Answer) -> Any:
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


async def amask_secret(secret: str) -> None:
    """Mask a secret from async code: ``amask_secret`` (3.3+) or ``mask_secret`` in a worker thread."""
    try:
        from airflow.sdk.log import amask_secret as _amask
    except ImportError:  # Airflow before 3.3: blocking on the supervisor is only safe off the loop
        from asgiref.sync import sync_to_async

        await sync_to_async(mask_secret)(secret)
        return
    await _amask(secret)


def page_data(answer: Any) -> list[Any] | None:
    """Items of a ``{pageInfo, data: [...]}`` page; None if the answer has another shape."""
    data = answer.get("data") if isinstance(answer, dict) else None
    return data if isinstance(data, list) else None


class _Pager:
    """
    The state of one walk through a paged GET, shared by the sync and the async drivers.

    Pages are 1-based (``page``); the walk stops on an empty page, on ``currentPage >= lastPage``
    in ``pageInfo``, when the answer has no ``pageInfo`` to go on, once ``limit`` items are in, or
    after a page ``until`` returns True for (``until`` is not asked about a page that ends the walk
    anyway).
    """

    def __init__(
        self,
        path: str,
        params: Mapping[str, Any],
        pick: PagePicker,
        limit: int | None,
        until: PageCheck | None = None,
    ) -> None:
        self.path = path
        self._params = params
        self._pick = pick
        self._limit = limit
        self._until = until
        self.page = 1
        self.done = False

    def params(self) -> dict[str, Any]:
        return {**self._params, "page": self.page}

    def take(self, answer: Any) -> list[Any]:
        """Return the items of the answer to the current page, and move on to the next page."""
        items = self._pick(answer)
        if items is None:
            raise VideoSDKError(
                f"unexpected answer: not a page of items ({type(answer).__name__})",
                method="GET",
                path=self.path,
            )
        if self._limit is not None:
            items = items[: self._limit]
            self._limit -= len(items)
        self.done = (
            self._is_last(answer, items)
            or self._limit == 0
            or (self._until is not None and self._until(items))
        )
        self.page += 1
        return items

    def _is_last(self, answer: Any, items: list[Any]) -> bool:
        info = answer.get("pageInfo") if isinstance(answer, dict) else None
        if not items or not isinstance(info, dict):
            return True
        try:
            return int(info.get("currentPage") or self.page) >= int(info["lastPage"])
        except (KeyError, TypeError, ValueError):
            return True


class VideoSDKBaseHook(BaseHook):
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
    default_conn_name = DEFAULT_CONN_ID
    conn_type = CONN_TYPE
    hook_name = "VideoSDK"

    def __init__(
        self,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        *,
        timeout: float | tuple[float, float] | None = None,
        token_ttl: int | None = None,
        max_retries: int | None = None,
        retry_backoff: float | None = None,
        retry_backoff_max: float | None = None,
        retry_deadline: float | None = None,
        pool_size: int = DEFAULT_POOL_SIZE,
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
        self._aclient: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(videosdk_conn_id={self.videosdk_conn_id!r})"

    # Connection and settings

    @cached_property
    def settings(self) -> Settings:
        """The connection's credentials and the effective transport settings."""
        conn = self.get_connection(self.videosdk_conn_id)
        settings = self._settings_from(conn, conn.extra_dejson)
        mask_secret(settings.secret)
        return settings

    async def _asettings(self) -> Settings:
        """Resolve :attr:`settings` without blocking the event loop (for triggers and async code)."""
        if "settings" not in self.__dict__:
            conn = await _aget_connection(self, self.videosdk_conn_id)
            settings = self._settings_from(conn, await _aget_extra(conn))
            await amask_secret(settings.secret)
            self.__dict__["settings"] = settings  # where the cached property keeps its value
        return self.settings

    def _settings_from(self, conn: Connection, extra: Mapping[str, Any]) -> Settings:
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

        check = Checker()
        where = f"connection {self.videosdk_conn_id!r}"

        def number(name: str, default: float, *, low: float, integer: bool = False) -> float:
            return check.setting(f"{where}: {name}", pick(name, default), low=low, integer=integer)

        base_url = self._base_url(conn.host, conn.port)
        check.url(f"{where}: host", base_url)
        timeout = pick("timeout", (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT))
        if isinstance(timeout, (list, tuple)) and len(timeout) == 2:
            connect = check.setting(f"{where}: timeout[0]", timeout[0], low=MIN_TIMEOUT)
            read = check.setting(f"{where}: timeout[1]", timeout[1], low=MIN_TIMEOUT)
        else:
            connect, read = (
                DEFAULT_CONNECT_TIMEOUT,
                check.setting(f"{where}: timeout", timeout, low=MIN_TIMEOUT),
            )
        settings = Settings(
            conn_id=self.videosdk_conn_id,
            api_key=conn.login,
            secret=conn.password,
            base_url=base_url,
            timeout=(connect, read),
            token_ttl=int(number("token_ttl", DEFAULT_TOKEN_TTL, low=MIN_TOKEN_TTL, integer=True)),
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

    @contextlib.asynccontextmanager
    async def async_client(self) -> AsyncIterator[None]:
        """
        Keep one async HTTP client open for every async call made inside the block.

        A trigger wraps its whole run in it, so its polls reuse one client and its kept-alive
        connections instead of opening a new one per call.
        """
        if self._aclient is not None:
            yield
            return
        settings = await self._asettings()
        async with self._new_async_client(settings, await _atls_context()) as client:
            self._aclient = client
            try:
                yield
            finally:
                self._aclient = None

    @staticmethod
    def _new_async_client(settings: Settings, verify: ssl.SSLContext) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=httpx.Timeout(settings.timeout[1], connect=settings.timeout[0]),
            headers=_HEADERS,
            verify=verify,
        )

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
            await amask_secret(token)
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

    # Paths and paging

    @staticmethod
    def _path(template: str, **ids: object) -> str:
        """
        Fill a path template with ids, each checked (a non-empty string) and URL-quoted.

        ``_path("/v2/sessions/{session_id}", session_id=x)``; a bad id raises
        :class:`~videosdk_provider.exceptions.InvalidRequestError` naming the argument.
        """
        check = Checker()
        for name, value in ids.items():
            check.identifier(name, value)
        check.raise_problems()
        return template.format(**{name: quote(cast("str", value), safe="") for name, value in ids.items()})

    def _paged(
        self, path: str, params: Mapping[str, Any], pick: PagePicker = page_data, *, limit: int | None = None
    ) -> Iterator[Any]:
        """Yield the items of every page of a paged GET, requesting each page only when it is reached."""
        pager = _Pager(path, params, pick, limit)
        while not pager.done:
            yield from pager.take(self.request("GET", path, params=pager.params()))

    async def _apaged(
        self,
        path: str,
        params: Mapping[str, Any],
        pick: PagePicker = page_data,
        *,
        limit: int | None = None,
        until: PageCheck | None = None,
    ) -> list[Any]:
        """
        Return the items of every page of a paged GET, without blocking the loop.

        The walk ends early once ``limit`` items are in, or after a page ``until`` returns True for
        (the last page is not shown to ``until``).
        """
        pager = _Pager(path, params, pick, limit, until)
        items: list[Any] = []
        while not pager.done:
            items.extend(pager.take(await self.arequest("GET", path, params=pager.params())))
        return items

    # Requests

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        ambiguity: Ambiguity = _MAY_HAVE_TAKEN_EFFECT,
    ) -> Any:
        """
        Call the API and return the parsed answer, retrying where that is safe.

        :param idempotent: Whether repeating the request cannot do it twice; defaults to
            ``True`` for GET, PUT, DELETE, HEAD and OPTIONS. Decides whether 5xx answers and
            lost answers are retried (429 always is: the server refused before doing anything).
        :param ambiguity: How to report a failure after a request that is not repeated may have
            reached the server.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS
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
                raise self._attempt_failure(error, method, path, idempotent, ambiguity) from error
            _raise_if_retryable(response, idempotent)
            return response

        started = time.monotonic()
        try:
            answer: _Answer = attempt()
        except _RetryableFailure as first:
            retrying = tenacity.Retrying(**self._retry_policy(method, path, started))
            try:
                answer = retrying(self._replay_then(first, attempt))
            except _RetryableFailure as failure:
                answer = self._final_failure(failure, method, path)
        return self._parse_answer(answer, method, path, idempotent, ambiguity)

    async def arequest(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        ambiguity: Ambiguity = _MAY_HAVE_TAKEN_EFFECT,
    ) -> Any:
        """
        Call the API like :meth:`request`, without blocking the event loop (``httpx``).

        Connection, token, retries and errors are the same as :meth:`request`'s. Inside
        :meth:`async_client` the call reuses that block's client; otherwise it opens its own.
        """
        if self._aclient is not None:
            return await self._asend(self._aclient, method, path, json_body, params, idempotent, ambiguity)
        settings = await self._asettings()
        async with self._new_async_client(settings, await _atls_context()) as client:
            return await self._asend(client, method, path, json_body, params, idempotent, ambiguity)

    async def _asend(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        json_body: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        idempotent: bool | None,
        ambiguity: Ambiguity,
    ) -> Any:
        """Send one async call through ``client``, with :meth:`request`'s retries and error mapping."""
        method = method.upper()
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS
        body = json.dumps(json_body) if json_body is not None else None

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
                raise self._attempt_failure(error, method, path, idempotent, ambiguity) from error
            _raise_if_retryable(response, idempotent)
            return response

        started = time.monotonic()
        try:
            answer: _Answer = await attempt()
        except _RetryableFailure as first:
            retrying = tenacity.AsyncRetrying(**self._retry_policy(method, path, started))
            try:
                answer = await retrying(self._areplay_then(first, attempt))
            except _RetryableFailure as failure:
                answer = self._final_failure(failure, method, path)
        return self._parse_answer(answer, method, path, idempotent, ambiguity)

    @staticmethod
    def _replay_then(first: _RetryableFailure, attempt: Callable[[], Any]) -> Callable[[], Any]:
        """Hand the retry loop the first attempt's failure, then real attempts."""
        pending = [first]

        def call() -> Any:
            if pending:
                raise pending.pop()
            return attempt()

        return call

    @staticmethod
    def _areplay_then(first: _RetryableFailure, attempt: Callable[[], Any]) -> Callable[[], Any]:
        """Like :meth:`_replay_then`, for an async attempt."""
        pending = [first]

        async def call() -> Any:
            if pending:
                raise pending.pop()
            return await attempt()

        return call

    def _retry_policy(self, method: str, path: str, started: float) -> dict[str, Any]:
        """Tenacity arguments shared by :meth:`request` and :meth:`arequest`, the first attempt included."""
        settings = self.settings
        return {
            "retry": tenacity.retry_if_exception_type(_RetryableFailure),
            "stop": tenacity.stop_after_attempt(settings.max_retries + 1)
            | _StopBeforeDeadline(started, settings.retry_deadline),
            "wait": self._wait,
            "before_sleep": lambda state: self._log_retry(state, method, path),
            "reraise": True,
        }

    def _attempt_failure(
        self, error: Exception, method: str, path: str, idempotent: bool, ambiguity: Ambiguity
    ) -> Exception:
        """Classify a transport error: retry it where a repeat is safe, else fail at once."""
        if idempotent or _was_never_sent(error):
            return _RetryableFailure(cause=error)
        return self._transport_error(error, method, path, ambiguity=ambiguity)

    def _final_failure(self, failure: _RetryableFailure, method: str, path: str) -> _Answer:
        """Return the last answer once retries are spent; raise a transport error as its typed exception."""
        if failure.cause is not None:
            raise self._transport_error(failure.cause, method, path) from failure.cause
        return cast("_Answer", failure.response)

    def _parse_answer(
        self, answer: _Answer, method: str, path: str, idempotent: bool, ambiguity: Ambiguity
    ) -> Any:
        if answer.status_code >= 400:
            raise self._api_error(answer, method, path, ambiguity=None if idempotent else ambiguity)
        return _parse_body(answer)

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
        self, response: _Answer, method: str, path: str, *, ambiguity: Ambiguity | None = None
    ) -> VideoSDKError:
        """Map an error answer to its exception; ``ambiguity`` is set when the request was not repeatable."""
        status = response.status_code
        message = self._server_message(response)
        if status >= 500 and ambiguity is not None:
            message += f"; {ambiguity.hint}"
        request_id = next(
            (response.headers[name] for name in _REQUEST_ID_HEADERS if name in response.headers), None
        )
        details: dict[str, Any] = {"status": status, "method": method, "path": path, "request_id": request_id}
        if status == 401:
            error = VideoSDKAuthError(auth_failure(message, self.videosdk_conn_id), **details)
            error.server_message = message
            return error
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return VideoSDKRateLimitError(message, retry_after=retry_after, **details)
        if status >= 500 and ambiguity is not None and ambiguity.error is not None:
            return ambiguity.error(message, **details)
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

    def _transport_error(
        self, error: Exception, method: str, path: str, *, ambiguity: Ambiguity | None = None
    ) -> VideoSDKError:
        """Map a transport error; ``ambiguity`` is set when the request may have reached the server."""
        settings = self.settings
        if _was_never_sent(error):
            kind = f"could not connect to {settings.base_url}: connection failed before anything was sent"
        elif isinstance(error, (requests.ReadTimeout, httpx.ReadTimeout)):
            kind = f"no answer within the read timeout of {settings.timeout[1]:g} s"
        else:
            kind = "the connection failed before an answer arrived"
        reason = self._redact(f"{kind} ({type(error).__name__})")
        if ambiguity is None:
            return VideoSDKConnectionError(reason, method=method, path=path)
        error_class = ambiguity.error or VideoSDKConnectionError
        return error_class(f"{reason}; {ambiguity.hint}", method=method, path=path)
