"""When a livestream counts as running, and how it is shown without its stream keys."""

from __future__ import annotations

from typing import Any

import pytest

from videosdk_provider.models.livestreams import is_running, stream_keys, without_stream_keys


@pytest.mark.parametrize(
    ("livestream", "running"),
    [
        ({"status": "started", "end": None}, True),
        ({"status": "starting"}, True),
        ({"status": "LIVE"}, True),
        ({"status": "stopping", "end": None}, False),
        ({"status": "Stopped", "end": None}, False),
        ({"status": "failed"}, False),
        ({"status": "started", "end": "2026-01-01T10:00:00.000Z"}, False),
    ],
)
def test_a_livestream_runs_until_it_has_an_end_or_an_ending_status(
    livestream: dict[str, Any], running: bool
) -> None:
    assert is_running(livestream) is running


def test_stream_keys_are_read_from_well_formed_outputs_only() -> None:
    body = {
        "outputs": [
            {"streamKey": "a-key-1"},
            {"streamKey": ""},
            "rtmp://x",
            {"url": "rtmp://y"},
            {"streamKey": 7},
        ]
    }

    assert stream_keys(body) == ["a-key-1"]
    assert stream_keys({"outputs": "not a list"}) == []


def test_without_stream_keys_leaves_the_livestream_it_copies_unchanged() -> None:
    livestream = {"id": "l1", "outputs": [{"url": "rtmp://x/live", "streamKey": "a-key-1"}, "odd item"]}

    shown = without_stream_keys(livestream)

    assert shown == {"id": "l1", "outputs": [{"url": "rtmp://x/live", "streamKey": "***"}, "odd item"]}
    assert livestream["outputs"][0]["streamKey"] == "a-key-1"
