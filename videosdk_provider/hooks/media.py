"""
What the media resources' hooks (recordings, HLS, livestreams, transcriptions) share: stops and lists.

A stop is a POST that is never repeated by the hook: after a lost answer or a 5xx, it may have
taken effect. What the API answers for something that is not running (a 400 saying "not
started") is reported as ``stopped: False``, not raised, so a task retry that stops again is safe.
"""

from __future__ import annotations

from typing import Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.exceptions import VideoSDKValidationError
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.models.stops import StopResult

#: What the API says when asked to stop something that is not running.
_NOT_STARTED = "not started"


def _media_query(
    room_id: object, session_id: object, per_page: object, *, room_required: bool
) -> dict[str, Any]:
    """Check and build a media list's query: ``roomId`` (optional where allowed), ``sessionId``, paging."""
    check = Checker()
    check.identifier("room_id", room_id, optional=not room_required)
    check.identifier("session_id", session_id, optional=True)
    check.integer("per_page", per_page, low=1, high=None)
    check.raise_problems()
    query: dict[str, Any] = {"perPage": per_page}
    if room_id is not None:
        query["roomId"] = room_id
    if session_id is not None:
        query["sessionId"] = session_id
    return query


def _stop_body(room_id: object, stop_id: object = None, *, id_argument: str = "id") -> dict[str, Any]:
    """Return the Node SDK's stop body ``{roomId, id?}``, checked; ``id_argument`` names ``stop_id``."""
    check = Checker()
    check.identifier("room_id", room_id)
    check.identifier(id_argument, stop_id, optional=True)
    check.raise_problems()
    return {"roomId": room_id} | ({"id": stop_id} if stop_id is not None else {})


def _send_stop(
    hook: VideoSDKBaseHook, path: str, body: dict[str, Any], *, what: str, reread: str
) -> StopResult:
    """
    POST a stop ``body`` to ``path``, never repeated; report "not started" as ``stopped: False``.

    :param what: What is stopped, for messages (``"HLS"``).
    :param reread: The call that shows whether it still runs, named in the error of a stop that
        may or may not have taken effect.
    """
    ambiguity = Ambiguity(
        hint=f"the {what} may or may not have stopped, so the request was not repeated; "
        f"{reread} tells whether it still runs"
    )
    try:
        answer = hook.request("POST", path, json_body=body, ambiguity=ambiguity)
    except VideoSDKValidationError as error:
        if _NOT_STARTED in error.message.lower():
            return {"stopped": False, "message": error.message}
        raise
    message = answer if isinstance(answer, str) else None
    if isinstance(answer, dict) and isinstance(answer.get("message"), str):
        message = answer["message"]
    return {"stopped": True, "message": message or f"{what} stopped"}


def _page_transcriptions(answer: Any) -> list[Any] | None:
    """Items of a transcriptions page (realtime or post-call), listed under ``transcriptions``."""
    items = answer.get("transcriptions") if isinstance(answer, dict) else None
    return items if isinstance(items, list) else None
