"""
Exceptions raised by the VideoSDK provider.

Three families: :class:`InvalidRequestError` for a request refused on this side before anything
is sent, :class:`VideoSDKError` for a call that failed at or on the way to the API, and
:class:`VideoSDKTransferError` for a copy of a session's file that failed (its download from a
storage URL, or its write). Their text always carries the field path, or the HTTP status and the
server's message, or the file's name; never a token, a secret or a signed URL's query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from airflow.sdk.exceptions import AirflowException

from videosdk_provider._compat import AirflowFailException


class InvalidRequestError(AirflowFailException, ValueError):
    """
    A request was rejected before any network call: each problem names its field path.

    It fails the task without retries: the same input can only fail the same way again.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"invalid VideoSDK request ({len(problems)} {noun}): " + "; ".join(problems))


class VideoSDKError(AirflowException):
    """A VideoSDK API call failed; carries the status, the server's message, method, path and request id."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str = "",
        path: str = "",
        request_id: str | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.method = method
        self.path = path
        self.request_id = request_id
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = f"{self.method} {self.path}".strip()
        status = f"HTTP {self.status}" if self.status is not None else "no HTTP response"
        text = f"VideoSDK API {where} failed ({status}): {self.message}"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text


class VideoSDKAuthError(VideoSDKError):
    """401: the API key or secret was refused; ``server_message`` is what the server said."""

    server_message: str = ""


class VideoSDKPermissionError(VideoSDKError):
    """403: the token is valid but not allowed to do this."""


class VideoSDKNotFoundError(VideoSDKError):
    """402 or 404: the room, session or other resource does not exist (the API uses both)."""


class VideoSDKValidationError(VideoSDKError):
    """400 or 422: the server rejected the request's parameters."""


class VideoSDKConflictError(VideoSDKError):
    """409: the request conflicts with the resource's current state."""


class VideoSDKRateLimitError(VideoSDKError):
    """429 after the retries were spent; ``retry_after`` is the server's last hint in seconds."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = 429,
        method: str = "",
        path: str = "",
        request_id: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status, method=method, path=path, request_id=request_id)


class VideoSDKServerError(VideoSDKError):
    """5xx: the API failed on its side."""


class VideoSDKConnectionError(VideoSDKError):
    """No answer: the connection failed, was closed, or the read timed out."""


#: Failures that may heal by themselves: a wait polls again after them.
TRANSIENT_ERRORS = (VideoSDKServerError, VideoSDKRateLimitError, VideoSDKConnectionError)


class VideoSDKAmbiguousCreateError(VideoSDKError, AirflowFailException):
    """
    A room create without ``customRoomId`` failed after it may have reached the server.

    Its answer was lost, or the server answered 5xx: the room may or may not exist. It is not
    retried, by the hook or by Airflow's task retries, since a retry could create a second room.
    """


@dataclass(frozen=True)
class BatchItemFailure:
    """One failed item of a batch: its position in the input, its ``customRoomId`` and the error."""

    index: int
    custom_room_id: str | None
    error: VideoSDKError

    def __str__(self) -> str:
        label = f"customRoomId {self.custom_room_id!r}" if self.custom_room_id else "no customRoomId"
        status = f"HTTP {self.error.status}" if self.error.status is not None else "no HTTP response"
        return f"item {self.index} ({label}): {status}: {self.error.message}"


class VideoSDKBatchError(VideoSDKError):
    """
    Some items of a batch failed; every item was tried, and those that succeeded are kept.

    ``failures`` lists the failed items in input order; ``results`` has one entry per input item:
    what the API returned, or ``None`` where the item failed. Airflow retries the task: with a
    ``customRoomId`` on every item, a retry creates only what is missing.
    """

    #: Failures listed in the message; ``failures`` always has all of them.
    MAX_LISTED = 20

    def __init__(
        self,
        failures: Sequence[BatchItemFailure],
        results: Sequence[Any],
        *,
        method: str = "",
        path: str = "",
    ) -> None:
        self.failures = list(failures)
        self.results = list(results)
        listed = "; ".join(str(failure) for failure in self.failures[: self.MAX_LISTED])
        if len(self.failures) > self.MAX_LISTED:
            listed += f"; and {len(self.failures) - self.MAX_LISTED} more"
        message = f"{len(self.failures)} of {len(self.results)} items failed: {listed}"
        super().__init__(message, method=method, path=path)

    def _describe(self) -> str:
        return f"VideoSDK API {self.method} {self.path} batch: {self.message}"


class VideoSDKUnsafeBatchError(VideoSDKBatchError, AirflowFailException):
    """
    A batch failed in part and some of its items have no ``customRoomId``.

    Airflow does not retry it: a retry would create the rooms of those items again.
    """


class VideoSDKTransferError(AirflowException):
    """
    Copying a session's file failed: downloading it from its storage URL, or writing the copy.

    The message names the file (``label``, e.g. ``room recording rec-1``) and, for downloads, the URL
    without its query string: storage URLs are often pre-signed, and their query is a credential.
    """

    def __init__(self, message: str, *, label: str, url: str = "", status: int | None = None) -> None:
        self.label = label
        self.url = url
        self.status = status
        self.message = message
        super().__init__(f"{label}: {message}" + (f" ({url})" if url else ""))


class VideoSDKFileNotFoundError(VideoSDKTransferError):
    """404 or 410 from a file's storage URL: it was deleted (or expired) after it was listed."""
