"""What the transfer operator tells while and after it copies: hook lineage, and progress of long copies."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook
from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator
from videosdk_provider.utils.urls import public_url

MIB = 1 << 20
#: Copies a session with the operator in a fresh interpreter (where the OpenLineage provider, set up
#: by the environment, makes Airflow's hook lineage collector a real one), then prints what it collected.
COPY_AND_REPORT_LINEAGE = """
import json, sys
try:
    from airflow.sdk.lineage import get_hook_lineage_collector
except ImportError:  # Airflow 3.1
    from airflow.lineage.hook import get_hook_lineage_collector
from videosdk_provider.transfers.videosdk_to_object_storage import VideoSDKToObjectStorageOperator

operator = VideoSDKToObjectStorageOperator(
    task_id="archive",
    session_id=sys.argv[1],
    destination=sys.argv[2],
    include=["recordings", "transcriptions"],
)
uris = operator.execute({})
collected = get_hook_lineage_collector().collected_assets
report = {
    "collector": type(get_hook_lineage_collector()).__name__,
    "uris": uris,
    "inputs": [[info.asset.uri, type(info.context).__name__] for info in collected.inputs],
    "outputs": [[info.asset.uri, type(info.context).__name__] for info in collected.outputs],
}
print("LINEAGE " + json.dumps(report))
"""


@pytest.fixture
def hook(transfer_connection: str) -> VideoSDKHook:
    return VideoSDKHook(transfer_connection)


def record_a_session(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, **recording: Any
) -> dict[str, Any]:
    """Record a session of a new room (Ada joined) and end it; return the ended session."""
    room_id = hook.create_room()["roomId"]
    videosdk_emulator.join(room_id, "ada", "Ada")
    hook.start_recording(room_id, **recording)
    return videosdk_emulator.end_session(room_id)


def test_each_copy_is_reported_to_airflows_hook_lineage_collector(
    hook: VideoSDKHook, videosdk_emulator: VideoSDKEmulator, tmp_path: Path
) -> None:
    videosdk_emulator.recording_file_size = 1000
    session = record_a_session(hook, videosdk_emulator, transcription={"enabled": True})
    environment = os.environ | {"AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps({"type": "console"})}

    completed = subprocess.run(
        [sys.executable, "-c", COPY_AND_REPORT_LINEAGE, session["id"], f"file://{tmp_path}/archive/"],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )

    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    [line] = [line for line in completed.stdout.splitlines() if line.startswith("LINEAGE ")]
    report = json.loads(line.removeprefix("LINEAGE "))
    assert report["collector"] == "HookLineageCollector"
    [recording] = hook.iter_recordings(room_id=session["roomId"], session_id=session["id"])
    [transcription] = hook.iter_post_transcriptions(session_id=session["id"])
    sources = [recording["file"]["fileUrl"], *transcription["transcriptionFilePaths"].values()]
    assert sorted(report["inputs"]) == sorted([public_url(url), "VideoSDKHook"] for url in sources)
    assert report["outputs"] == [[uri, "ObjectStoragePath"] for uri in report["uris"]]
    assert len(report["uris"]) == len(sources)


def test_a_long_copy_logs_its_progress_in_the_tasks_log(
    hook: VideoSDKHook,
    videosdk_emulator: VideoSDKEmulator,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # The body takes 12 s, beyond the downloader's 10 s progress interval even when the copy
    # starts reading it up to 2 s late.
    videosdk_emulator.recording_file_size = 2 * MIB + 512 * 1024
    session = record_a_session(hook, videosdk_emulator)
    videosdk_emulator.slow_download(videosdk_emulator.recording_file_size / 12)
    operator = VideoSDKToObjectStorageOperator(
        task_id="archive", session_id=session["id"], destination=f"file://{tmp_path}/"
    )
    capfd.readouterr()

    operator.execute({})

    [recording] = hook.iter_recordings(room_id=session["roomId"], session_id=session["id"])
    progress = re.compile(
        rf"room recording {recording['id']}: [\d,]+ of 2,621,440 bytes \(\d+%\) at \d+\.\d MB/s"
    )
    lines = [line for line in capfd.readouterr().out.splitlines() if progress.search(line)]
    assert lines
    assert all(operator.log.name in line for line in lines)  # the operator's logger: the task's log
