"""
Exceptions raised by the VideoSDK provider.

Two families: :class:`InvalidRequestError` for a request refused on this side before anything is
sent, and :class:`VideoSDKError` for a call that failed at or on the way to the API. Their text
always carries the field path or the HTTP status and the server's message, never a token or secret.
"""

from __future__ import annotations

from airflow.sdk.exceptions import AirflowException, AirflowFailException


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
    """401: the API key or secret was refused."""


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


class VideoSDKAmbiguousCreateError(VideoSDKConnectionError):
    """
    A room create without ``customRoomId`` lost its answer: the room may or may not exist.

    It is not retried, since a retry could create a second room.
    """
