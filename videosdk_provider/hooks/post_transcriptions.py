"""Post-call transcription endpoints of the hook: list and fetch the transcriptions of recorded sessions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.hooks.core import PageCheck, VideoSDKBaseHook
from videosdk_provider.hooks.media import _media_query, _page_transcriptions
from videosdk_provider.models.post_transcriptions import PostTranscription

_POST_TRANSCRIPTIONS = "/ai/v1/post-transcriptions"


class PostTranscriptionsHookMixin(VideoSDKBaseHook):
    """
    The post-call transcriptions resource: ``/ai/v1/post-transcriptions``.

    There is no start call: set ``transcription.enabled`` (and ``summary.enabled``) when starting a
    recording or HLS, or in ``autoStartConfig``.
    """

    def iter_post_transcriptions(
        self, *, room_id: str | None = None, session_id: str | None = None, per_page: int = DEFAULT_PER_PAGE
    ) -> Iterator[PostTranscription]:
        """Every post-call transcription, of a room or a session when given, newest first."""
        query = _media_query(room_id, session_id, per_page, room_required=False)
        return self._paged(_POST_TRANSCRIPTIONS, query, _page_transcriptions)

    async def aget_post_transcriptions(
        self,
        *,
        room_id: str | None = None,
        session_id: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
        until: PageCheck | None = None,
    ) -> list[PostTranscription]:
        """
        Every transcription :meth:`iter_post_transcriptions` lists, without blocking the event loop.

        :param until: Told each page of transcriptions in turn but the last; True ends the listing there.
        """
        query = _media_query(room_id, session_id, per_page, room_required=False)
        return await self._apaged(_POST_TRANSCRIPTIONS, query, _page_transcriptions, until=until)

    def get_post_transcription(self, transcription_id: str) -> PostTranscription:
        """Fetch one post-call transcription by its id."""
        path = self._path(_POST_TRANSCRIPTIONS + "/{transcription_id}", transcription_id=transcription_id)
        return cast("PostTranscription", self.request("GET", path))
