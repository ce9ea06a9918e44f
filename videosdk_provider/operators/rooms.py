"""Operators that manage VideoSDK rooms."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from videosdk_provider._compat import AirflowFailException, AirflowSkipException
from videosdk_provider.bodies.checking import Checker, check_ids
from videosdk_provider.bodies.rooms import (
    build_room_body,
    check_room_arguments_at_parse_time,
    validate_room_bodies,
)
from videosdk_provider.constants import DEFAULT_CONN_ID
from videosdk_provider.exceptions import VideoSDKBatchError
from videosdk_provider.links.videosdk import VideoSDKRoomLink
from videosdk_provider.utils.mixins import VideoSDKHookMixin

if TYPE_CHECKING:
    from airflow.sdk import Context

_ROOM_COLOR = "#e6e8fe"
#: The account details (email, name, ...) that the rooms list adds to each room as its owner.
_OWNER_FIELD = "user"


class CreateRoomOperator(VideoSDKHookMixin, BaseOperator):
    """
    Create a VideoSDK room for a scheduled session and return its ``roomId``.

    Each argument is one field of the ``POST /v2/rooms`` body, with the API's own camelCase keys
    inside the dicts; unset arguments are left out of the body. Values without Jinja are checked
    when the DAG is parsed, rendered values before the request, so a bad configuration never
    creates a room. Pass ``custom_room_id`` (for example from ``run_id``) to make the task safe to
    retry: the API returns the existing room for a repeated ``customRoomId``.

    The ``roomId`` is the XCom ``return_value``; the whole room is pushed under the key ``room``.

    :param custom_room_id: ``customRoomId``: your own id for the room. (templated)
    :param webhook: ``webhook``: ``{"endPoint": url, "events": [...]}``. (templated)
    :param auto_close_config: ``autoCloseConfig``: ``{"type": ..., "duration": minutes}``. (templated)
    :param auto_start_config: ``autoStartConfig``: ``{"recording": {...}, "hls": {...}}``. (templated)
    :param extra_body: Body fields the documentation does not list yet (``geoFence``, ...);
        it may not set a field that has its own argument. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = (
        "custom_room_id",
        "webhook",
        "auto_close_config",
        "auto_start_config",
        "extra_body",
        "videosdk_conn_id",
    )
    template_fields_renderers = {
        "webhook": "json",
        "auto_close_config": "json",
        "auto_start_config": "json",
        "extra_body": "json",
    }
    ui_color = _ROOM_COLOR
    operator_extra_links = (VideoSDKRoomLink(),)

    def __init__(
        self,
        *,
        custom_room_id: str | None = None,
        webhook: dict[str, Any] | None = None,
        auto_close_config: dict[str, Any] | None = None,
        auto_start_config: dict[str, Any] | None = None,
        extra_body: dict[str, Any] | None = None,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.custom_room_id = custom_room_id
        self.webhook = webhook
        self.auto_close_config = auto_close_config
        self.auto_start_config = auto_start_config
        self.extra_body = extra_body
        self.videosdk_conn_id = videosdk_conn_id
        check_room_arguments_at_parse_time(
            custom_room_id=custom_room_id,
            webhook=webhook,
            auto_close_config=auto_close_config,
            auto_start_config=auto_start_config,
            extra_body=extra_body,
        )

    def execute(self, context: Context) -> str:
        body = build_room_body(
            custom_room_id=self.custom_room_id,
            webhook=self.webhook,
            auto_close_config=self.auto_close_config,
            auto_start_config=self.auto_start_config,
            extra_body=self.extra_body,
        )
        room = self.hook.create_room(**body)
        room_id = room["roomId"]
        if self.do_xcom_push:
            context["ti"].xcom_push(key="room", value=dict(room))
        self.log.info("Created VideoSDK room %s (customRoomId: %s)", room_id, room.get("customRoomId"))
        return room_id


#: Rooms :class:`CreateRoomsOperator` creates at once unless told otherwise.
DEFAULT_MAX_CONCURRENCY = 16


class CreateRoomsOperator(VideoSDKHookMixin, BaseOperator):
    """
    Create many VideoSDK rooms in one task, a bounded number at a time; return their roomIds in order.

    Each item of ``rooms`` is one ``POST /v2/rooms`` body with the API's camelCase keys
    (``customRoomId``, ``webhook``, ``autoCloseConfig``, ``autoStartConfig``, newer fields), as
    ``VideoSDKHook.create_room(**body)`` takes it. Every item is checked before the first request
    (literals already when the DAG is parsed), so one bad item creates nothing. Then up to
    ``max_concurrency`` requests run at once over one pool of kept-alive connections.

    The roomIds are the XCom ``return_value``, in input order; the rooms are pushed under the key
    ``rooms``. When some items fail, the others still run: the rooms created are pushed anyway
    (``None`` for each failed item) and
    :class:`~videosdk_provider.exceptions.VideoSDKBatchError` lists every failure with its index,
    ``customRoomId``, HTTP status and message.

    Give every item a ``customRoomId`` (for example from ``run_id``) to make the task safe to
    retry: the API returns the existing room for a repeated one, so a retry creates only the rooms
    that are missing. Items without a ``customRoomId`` are not safe to retry, as a retry would
    create their rooms again: when any item lacks one, a partly failed batch fails the task
    without Airflow retries.

    :param rooms: Create Room bodies, one per room; often an upstream task's output. (templated)
    :param max_concurrency: Requests in flight at once, and HTTP connections kept open.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("rooms", "videosdk_conn_id")
    template_fields_renderers = {"rooms": "json"}
    ui_color = _ROOM_COLOR

    def __init__(
        self,
        *,
        rooms: Sequence[Mapping[str, Any]],
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.rooms = rooms
        self.max_concurrency = max_concurrency
        self.videosdk_conn_id = videosdk_conn_id
        check = Checker(at_parse_time=True)
        check.integer("max_concurrency", max_concurrency, low=1, high=None)
        check.raise_problems()
        validate_room_bodies(rooms, at_parse_time=True)

    def _hook_options(self) -> dict[str, Any]:
        return {"pool_size": self.max_concurrency}  # one kept-alive connection per request in flight

    def execute(self, context: Context) -> list[str]:
        try:
            rooms = self.hook.create_rooms(self.rooms, max_concurrency=self.max_concurrency)
        except VideoSDKBatchError as error:
            self._push_rooms(context, error.results)
            for failure in error.failures:
                self.log.error("VideoSDK room not created: %s", failure)
            raise
        self._push_rooms(context, rooms)
        self.log.info("Created %d VideoSDK rooms", len(rooms))
        return [room["roomId"] for room in rooms]

    def _push_rooms(self, context: Context, rooms: Sequence[Mapping[str, Any] | None]) -> None:
        if self.do_xcom_push:
            value = [None if room is None else dict(room) for room in rooms]
            context["ti"].xcom_push(key="rooms", value=value)


class _RoomOperator(VideoSDKHookMixin, BaseOperator):
    """An operator that acts on one room, named by ``room_id``; a literal id is checked at parse time."""

    template_fields: Sequence[str] = ("room_id", "videosdk_conn_id")
    ui_color = _ROOM_COLOR

    def __init__(self, *, room_id: str, videosdk_conn_id: str = DEFAULT_CONN_ID, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.room_id = room_id
        self.videosdk_conn_id = videosdk_conn_id
        check_ids(room_id=room_id, at_parse_time=True)


class ValidateRoomOperator(_RoomOperator):
    """
    Check that a VideoSDK room exists and is active; return its ``roomId``.

    ``room_id`` may be the roomId or the customRoomId, so the task also resolves a customRoomId to
    the roomId that other calls need. The room is pushed to XCom under the key ``room``.

    A room is invalid when the API answers 400, 402 or 404 for it, or when it is deactivated. An
    invalid room fails the task without retries (retrying cannot make it valid), or, with
    ``soft_fail=True``, marks the task skipped, so that downstream tasks are skipped as after a
    sensor's ``soft_fail``. (Returning ``False`` instead would push a value of another type than
    the roomId and leave every downstream task to test it.)

    :param room_id: roomId or customRoomId of the room. (templated)
    :param soft_fail: Skip the task, rather than fail it, when the room is invalid.
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    operator_extra_links = (VideoSDKRoomLink(),)

    def __init__(
        self,
        *,
        room_id: str,
        soft_fail: bool = False,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(room_id=room_id, videosdk_conn_id=videosdk_conn_id, **kwargs)
        self.soft_fail = soft_fail

    def execute(self, context: Context) -> str:
        room = self.hook.validate_room(self.room_id)
        if room is None:
            message = f"VideoSDK room {self.room_id!r} is not valid: it does not exist or is deactivated"
            if self.soft_fail:
                raise AirflowSkipException(message)
            raise AirflowFailException(message)
        if self.do_xcom_push:
            context["ti"].xcom_push(key="room", value=dict(room))
        self.log.info("VideoSDK room %s is valid", room.get("roomId"))
        return room["roomId"]


class GetRoomOperator(_RoomOperator):
    """
    Fetch a VideoSDK room and return it as a plain dict.

    :param room_id: roomId, customRoomId or internal ``id`` of the room. (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    operator_extra_links = (VideoSDKRoomLink(),)

    def execute(self, context: Context) -> dict[str, Any]:
        return dict(self.hook.get_room(self.room_id))


class ListRoomsOperator(VideoSDKHookMixin, BaseOperator):
    """
    List the account's rooms, newest first, and return at most ``max_rooms`` of them as a list.

    Pages are requested only until ``max_rooms`` rooms are in hand, so the XCom value and the
    number of calls stay bounded however many rooms the account has.

    The API lists each room with the account that owns it (``user``: email, name, ...). That is
    left out of the rooms returned, since XCom is readable by every DAG author and shown in the
    UI; ``VideoSDKHook.iter_rooms`` keeps it.

    :param max_rooms: Most rooms to return.
    :param per_page: Rooms asked for per page (fewer when ``max_rooms`` is smaller).
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    template_fields: Sequence[str] = ("videosdk_conn_id",)
    ui_color = _ROOM_COLOR

    def __init__(
        self,
        *,
        max_rooms: int = 100,
        per_page: int = 20,
        videosdk_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_rooms = max_rooms
        self.per_page = per_page
        self.videosdk_conn_id = videosdk_conn_id
        check = Checker(at_parse_time=True)
        check.integer("max_rooms", max_rooms, low=1, high=None)
        check.integer("per_page", per_page, low=1, high=None)
        check.raise_problems()

    def execute(self, context: Context) -> list[dict[str, Any]]:
        rooms = self.hook.iter_rooms(per_page=min(self.per_page, self.max_rooms))
        listed = [
            {key: value for key, value in room.items() if key != _OWNER_FIELD}
            for room in itertools.islice(rooms, self.max_rooms)
        ]
        self.log.info("Listed %d VideoSDK rooms (at most %d)", len(listed), self.max_rooms)
        return listed


class DeactivateRoomOperator(_RoomOperator):
    """
    Deactivate a VideoSDK room, so that no session can start in it again; return the room.

    The API deactivates by roomId only (a customRoomId is refused), and room ids have no reliable
    format: ``abcd-efgh-ijkl`` could be either. So the hook first reads the room (a read-only GET
    that accepts both) and fails with
    :class:`~videosdk_provider.exceptions.InvalidRequestError`, naming the roomId to use, when
    ``room_id`` is not the room's roomId; the deactivation is never sent then. A room that is
    already deactivated is returned as it is, which makes the task safe to retry even though the
    deactivation request itself is never repeated.

    :param room_id: The room's VideoSDK roomId (for example ``CreateRoomOperator``'s output). (templated)
    :param videosdk_conn_id: Connection of type ``videosdk``. (templated)
    """

    def execute(self, context: Context) -> dict[str, Any]:
        room = self.hook.deactivate_room(self.room_id)
        self.log.info("VideoSDK room %s is deactivated", self.room_id)
        return dict(room)
