"""The HLS start contract (``POST /v2/hls/start``): room, output config (grid up to 25), template, AI."""

from __future__ import annotations

from typing import Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.pieces import (
    MAX_HLS_GRID_SIZE,
    check_output_config,
    check_summary,
    check_transcription,
)


def build_start_hls_body(
    room_id: object,
    *,
    config: object = None,
    template_url: object = None,
    transcription: object = None,
    summary: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """
    Build the HLS start body from arguments, leaving out those that are unset.

    Problems name the body field (``config.layout.gridSize``); raises
    :class:`~videosdk_provider.exceptions.InvalidRequestError` before any request is made.
    """
    check = Checker(at_parse_time=at_parse_time)
    check.identifier("roomId", room_id)
    body: dict[str, Any] = {"roomId": room_id}
    if config is not None:
        check_output_config(check, "config", config, max_grid_size=MAX_HLS_GRID_SIZE, with_recording=True)
        body["config"] = config
    if template_url is not None:
        check.url("templateUrl", template_url)
        body["templateUrl"] = template_url
    if transcription is not None:
        check_transcription(check, "transcription", transcription)
        body["transcription"] = transcription
    if summary is not None:
        check_summary(check, "summary", summary)
        body["summary"] = summary
    check.raise_problems()
    return body
