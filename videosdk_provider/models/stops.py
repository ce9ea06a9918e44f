"""What a stop call returns: whether something was stopped, and the API's words."""

from __future__ import annotations

from typing import TypedDict


class StopResult(TypedDict):
    """
    The outcome of a stop call (HLS, livestream, realtime transcription).

    ``stopped`` is False when nothing was running (the API answered "not started"): stopping is
    then already done, so a task retry after a lost answer is safe.
    """

    stopped: bool
    message: str
