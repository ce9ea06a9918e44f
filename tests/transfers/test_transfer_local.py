"""Copying a session's files to ``file://``: atomic, checked, idempotent, with clear errors and lineage."""

from __future__ import annotations

import hashlib
import os
import stat
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from airflow.sdk import ObjectStoragePath

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import InvalidRequestError, VideoSDKFileNotFoundError, VideoSDKTransferError
from videosdk_provider.transfers.videosdk_to_object_storage import (
    SessionFile,
    VideoSDKToObjectStorageOperator,
)

MIB = 1 << 20
MakeOperator = Callable[..., VideoSDKToObjectStorageOperator]
AsRecording = Callable[..., SessionFile]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def destination(archive: Path) -> ObjectStoragePath:
    return ObjectStoragePath(f"file://{archive}/")


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` (hidden temporary files included), relative and sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_copies_each_file_and_returns_its_uri(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    first = videosdk_emulator.files.add("first.mp4", size=3 * MIB + 5)
    second = videosdk_emulator.files.add("second.mp4", size=10)
    uris = make_operator(destination=str(destination)).copy_files(
        [as_recording(first, "rec-1"), as_recording(second, "rec-2")], destination
    )
    copy = archive / session_id / "recordings" / "rec-1" / "first.mp4"
    assert uris == [f"file://{copy}", f"file://{archive}/{session_id}/recordings/rec-2/second.mp4"]
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == first.sha256()


def test_records_each_sha256_next_to_the_copy(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=1000)
    make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    checksum = archive / session_id / "recordings" / "rec-1" / "room.mp4.sha256"
    assert checksum.read_text() == f"{stored.sha256()}  room.mp4\n"


def test_a_cut_download_is_resumed_and_the_copy_is_whole(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=3 * MIB)
    videosdk_emulator.cut_download_after(2 * MIB + 10)
    make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    copy = archive / session_id / "recordings" / "rec-1" / "room.mp4"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256()
    assert [request.status for request in videosdk_emulator.requests] == [200, 206]


def test_a_failed_download_leaves_nothing_under_the_final_name(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=3 * MIB)
    videosdk_emulator.cut_download_after(MIB + 10)
    videosdk_emulator.cut_download_after(10, times=2)
    with pytest.raises(VideoSDKTransferError, match="download failed after 3 attempts"):
        make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    assert files_under(archive) == []


def test_a_retry_copies_only_what_is_missing(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    done = videosdk_emulator.files.add("done.mp4", size=MIB)
    missing = videosdk_emulator.files.add("missing.mp4", size=MIB)
    operator = make_operator(destination=str(destination))
    operator.copy_files([as_recording(done, "rec-1")], destination)
    copy = archive / session_id / "recordings" / "rec-1" / "done.mp4"
    written = copy.stat().st_mtime_ns
    uris = operator.copy_files([as_recording(done, "rec-1"), as_recording(missing, "rec-2")], destination)
    assert len(uris) == 2
    assert copy.stat().st_mtime_ns == written
    assert [item.skipped for item in operator._copied] == [True, False]
    assert (archive / session_id / "recordings" / "rec-2" / "missing.mp4").stat().st_size == MIB


def test_a_copy_altered_since_is_copied_again(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=1000)
    operator = make_operator(destination=str(destination))
    operator.copy_files([as_recording(stored)], destination)
    copy = archive / session_id / "recordings" / "rec-1" / "room.mp4"
    copy.write_bytes(b"x" * 1000)
    operator.copy_files([as_recording(stored)], destination)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256()
    assert operator._copied[0].skipped is False


def test_a_copy_without_its_checksum_is_copied_again(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=1000)
    operator = make_operator(destination=str(destination))
    operator.copy_files([as_recording(stored)], destination)
    (archive / session_id / "recordings" / "rec-1" / "room.mp4.sha256").unlink()
    operator.copy_files([as_recording(stored)], destination)
    assert operator._copied[0].skipped is False


def test_a_recording_deleted_after_listing_is_named_in_the_error(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    videosdk_emulator.files.remove(stored.file_id)
    with pytest.raises(VideoSDKFileNotFoundError, match=r"^room recording rec-9: not found .*HTTP 404"):
        make_operator(destination=str(destination)).copy_files([as_recording(stored, "rec-9")], destination)
    assert files_under(archive) == []


def test_a_destination_without_write_permission_is_named_in_the_error(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    tmp_path: Path,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    if os.geteuid() == 0:  # permission bits do not stop root; sysfs refuses new folders to everyone
        folder = Path("/sys/videosdk-archive")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        folder = locked / "archive"
    destination = ObjectStoragePath(f"file://{folder}/")
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    with pytest.raises(VideoSDKTransferError) as raised:
        make_operator(destination=str(destination)).copy_files([as_recording(stored)], destination)
    expected = f"room recording rec-1: cannot write file://{folder}/{session_id}/recordings/rec-1/room.mp4: "
    assert str(raised.value).startswith(expected)
    assert "not permitted" in str(raised.value) or "Permission denied" in str(raised.value)


def test_the_api_token_is_never_sent_to_file_urls(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=MIB)
    videosdk_emulator.cut_download_after(10)
    operator = make_operator(destination=str(destination))
    operator.hook.get_token()
    operator.copy_files([as_recording(stored)], destination)
    file_requests = [request for request in videosdk_emulator.requests if request.path.startswith("/files/")]
    assert len(file_requests) == 2
    assert all("authorization" not in request.headers for request in file_requests)


def test_memory_stays_flat_whatever_the_file_size(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=64 * MIB)
    operator = make_operator(destination=str(destination))
    tracemalloc.start()
    try:
        operator.copy_files([as_recording(stored)], destination)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * MIB


def test_openlineage_names_each_source_url_and_copy(
    videosdk_emulator: VideoSDKEmulator,
    make_operator: MakeOperator,
    archive: Path,
    destination: ObjectStoragePath,
    as_recording: AsRecording,
    session_id: str,
) -> None:
    stored = videosdk_emulator.files.add("room.mp4", size=10)
    operator = make_operator(destination=str(destination))
    operator.copy_files([as_recording(stored)], destination)
    lineage = operator.get_openlineage_facets_on_complete(None)
    [source] = lineage.inputs
    [copy] = lineage.outputs
    assert (source.namespace, source.name) == (videosdk_emulator.url, f"/files/{stored.file_id}/room.mp4")
    assert (copy.namespace, copy.name) == (
        "file",
        f"{str(archive)[1:]}/{session_id}/recordings/rec-1/room.mp4",
    )


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"include": ["recordings", "videos"]}, "include[1]"),
        ({"include": []}, "include: expected a non-empty list"),
        ({"destination": "archive/"}, "destination: expected an object storage URI"),
        ({"session_id": ""}, "session_id: expected a non-empty string"),
    ],
)
def test_bad_arguments_fail_when_the_dag_is_parsed(
    make_operator: MakeOperator, arguments: dict[str, object], problem: str
) -> None:
    arguments.setdefault("destination", "file:///archive/")
    with pytest.raises(InvalidRequestError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        make_operator(**arguments)


def test_templated_arguments_are_checked_when_the_task_runs(
    make_operator: MakeOperator, session_id: str
) -> None:
    operator = make_operator(destination="{{ var.value.archive }}", session_id="{{ params.session }}")
    assert operator.template_fields == (
        "session_id",
        "destination",
        "destination_conn_id",
        "room_id",
        "videosdk_conn_id",
    )
