"""The "HLS playback" link of a task that started HLS: the stream's ``playbackHlsUrl``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow.sdk import BaseOperatorLink

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.types import TaskInstanceKey


class VideoSDKHlsPlaybackLink(BaseOperatorLink):
    """
    The "HLS playback" button: the ``playbackHlsUrl`` the task returned.

    Empty (the UI leaves the button out) when the task returned no stream or the URL is not
    an http(s) URL.
    """

    name = "HLS playback"

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        from airflow.sdk.execution_time.xcom import XCom

        returned = XCom.get_value(ti_key=ti_key, key="return_value")
        url = returned.get("playbackHlsUrl") if isinstance(returned, dict) else None
        return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""
