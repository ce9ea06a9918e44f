"""Operators that manage VideoSDK rooms."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from videosdk_provider.request_body import build_room_body

if TYPE_CHECKING:
    from airflow.sdk import Context

    from videosdk_provider.hooks.videosdk import VideoSDKHook


class CreateRoomOperator(BaseOperator):
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
    ui_color = "#e6e8fe"

    def __init__(
        self,
        *,
        custom_room_id: str | None = None,
        webhook: dict[str, Any] | None = None,
        auto_close_config: dict[str, Any] | None = None,
        auto_start_config: dict[str, Any] | None = None,
        extra_body: dict[str, Any] | None = None,
        videosdk_conn_id: str = "videosdk_default",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.custom_room_id = custom_room_id
        self.webhook = webhook
        self.auto_close_config = auto_close_config
        self.auto_start_config = auto_start_config
        self.extra_body = extra_body
        self.videosdk_conn_id = videosdk_conn_id
        self._body(at_parse_time=True)

    def _body(self, *, at_parse_time: bool = False) -> dict[str, Any]:
        return build_room_body(
            custom_room_id=self.custom_room_id,
            webhook=self.webhook,
            auto_close_config=self.auto_close_config,
            auto_start_config=self.auto_start_config,
            extra_body=self.extra_body,
            at_parse_time=at_parse_time,
        )

    @cached_property
    def hook(self) -> VideoSDKHook:
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        return VideoSDKHook(videosdk_conn_id=self.videosdk_conn_id)

    def execute(self, context: Context) -> str:
        room = self.hook.create_room(**self._body())
        room_id = room["roomId"]
        if self.do_xcom_push:
            context["ti"].xcom_push(key="room", value=dict(room))
        self.log.info("Created VideoSDK room %s (customRoomId: %s)", room_id, room.get("customRoomId"))
        return room_id
