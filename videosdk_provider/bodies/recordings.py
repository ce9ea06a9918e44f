"""The room recording start contract (``POST /v2/recordings/start``): output config as ``autoStartConfig``."""

from __future__ import annotations

from typing import Any

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.pieces import MAX_AUTO_START_GRID_SIZE, check_output_config, check_transcription


def build_start_recording_body(
    room_id: object,
    *,
    config: object = None,
    template_url: object = None,
    transcription: object = None,
    webhook_url: object = None,
    aws_dir_path: object = None,
    pre_signed_url: object = None,
    at_parse_time: bool = False,
) -> dict[str, Any]:
    """
    Build the recording start body from arguments, leaving out those that are unset.

    ``config`` follows the Create Room page's recording config (``layout.gridSize`` 1..4).
    Problems name the body field (``config.layout.gridSize``); raises
    :class:`~videosdk_provider.exceptions.InvalidRequestError` before any request is made.
    """
    check = Checker(at_parse_time=at_parse_time)
    check.identifier("roomId", room_id)
    body: dict[str, Any] = {"roomId": room_id}
    if config is not None:
        check_output_config(check, "config", config, max_grid_size=MAX_AUTO_START_GRID_SIZE)
        body["config"] = config
    if template_url is not None:
        check.url("templateUrl", template_url)
        body["templateUrl"] = template_url
    if transcription is not None:
        check_transcription(check, "transcription", transcription)
        body["transcription"] = transcription
    if webhook_url is not None:
        check.url("webhookUrl", webhook_url)
        body["webhookUrl"] = webhook_url
    if aws_dir_path is not None:
        check.string("awsDirPath", aws_dir_path)
        body["awsDirPath"] = aws_dir_path
    if pre_signed_url is not None:
        check.url("preSignedUrl", pre_signed_url)
        body["preSignedUrl"] = pre_signed_url
    check.raise_problems()
    return body
