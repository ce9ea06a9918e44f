"""Links that the Airflow UI shows on the page of a task instance that returned a VideoSDK room."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from airflow.sdk import BaseOperatorLink

from videosdk_provider.constants import DEFAULT_CONN_ID

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.types import TaskInstanceKey

#: Connection extra holding the meeting page URL, with ``{room_id}`` where the roomId goes.
MEETING_URL_TEMPLATE_EXTRA = "meeting_url_template"
ROOM_ID_PLACEHOLDER = "{room_id}"

log = logging.getLogger(__name__)


def meeting_url(template: Any, room_id: Any) -> str:
    """
    Fill a meeting URL template with a roomId, URL-quoted; ``""`` when there is nothing to link.

    There is nothing to link without a template, without a roomId, or when the template has no
    ``{room_id}`` placeholder (every room would get the same, wrong, page).
    """
    if not isinstance(template, str) or not isinstance(room_id, str) or not template or not room_id:
        return ""
    if ROOM_ID_PLACEHOLDER not in template:
        log.warning(
            "The %s extra has no %s placeholder; the VideoSDK room link is left out",
            MEETING_URL_TEMPLATE_EXTRA,
            ROOM_ID_PLACEHOLDER,
        )
        return ""
    return template.replace(ROOM_ID_PLACEHOLDER, quote(room_id, safe=""))


class VideoSDKRoomLink(BaseOperatorLink):
    """
    The "VideoSDK room" button: the meeting page of the room the task returned.

    The URL is the connection's ``meeting_url_template`` extra (for example
    ``https://meet.example.com/{room_id}``) filled with the roomId the task returned, alone or in
    a room. The worker resolves it when the task ends and Airflow keeps it in XCom for the UI;
    without a template, or when the task returned no room, the link is empty and the UI leaves
    the button out.
    """

    name = "VideoSDK room"

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        from airflow.sdk import BaseHook
        from airflow.sdk.execution_time.xcom import XCom

        returned = XCom.get_value(ti_key=ti_key, key="return_value")
        room_id = returned.get("roomId") if isinstance(returned, dict) else returned
        if not room_id:
            return ""
        conn_id = getattr(operator, "videosdk_conn_id", DEFAULT_CONN_ID)
        template = BaseHook.get_connection(conn_id).extra_dejson.get(MEETING_URL_TEMPLATE_EXTRA)
        return meeting_url(template, room_id)
