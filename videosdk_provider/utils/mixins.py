"""What the VideoSDK operators and sensors share: a connection id and a hook built on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from videosdk_provider.hooks.videosdk import VideoSDKHook


class VideoSDKHookMixin:
    """
    Give an operator or sensor a ``hook`` for its ``videosdk_conn_id``.

    The hook modules (``requests``, ``jwt``, ``tenacity``) are imported only when a task runs, so
    parsing a DAG stays cheap. The hook is built on first use, after the connection id is rendered.
    """

    videosdk_conn_id: str

    def _hook_options(self) -> dict[str, Any]:
        """Return hook arguments beyond the connection id; a task that needs more overrides this."""
        return {}

    @cached_property
    def hook(self) -> VideoSDKHook:
        """The hook for this task's (rendered) connection, built on first use."""
        from videosdk_provider.hooks.videosdk import VideoSDKHook

        return VideoSDKHook(videosdk_conn_id=self.videosdk_conn_id, **self._hook_options())
