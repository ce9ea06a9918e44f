"""The file server: recordings and transcripts served at their storage URLs, ranges and download faults."""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.emulator.files import SEGMENT_SIZE

TIMEOUT = 10.0


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=TIMEOUT)


# --- serving ----------------------------------------------------------------------------------


def test_generated_file_downloads_whole_with_its_size_and_checksum(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=3 * SEGMENT_SIZE + 17)
    response = get(stored.url)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(stored.size)
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256()


def test_generated_content_depends_only_on_the_seed(emu: VideoSDKEmulator) -> None:
    first = emu.files.add("a.mp4", size=SEGMENT_SIZE + 5, seed=7)
    second = emu.files.add("b.mp4", size=SEGMENT_SIZE + 5, seed=7)
    other = emu.files.add("c.mp4", size=SEGMENT_SIZE + 5, seed=8)
    assert first.sha256() == second.sha256() != other.sha256()


def test_every_segment_of_generated_content_differs(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=2 * SEGMENT_SIZE)
    assert stored.read(0, SEGMENT_SIZE) != stored.read(SEGMENT_SIZE, 2 * SEGMENT_SIZE)


def test_given_content_is_served_as_is(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("transcript.txt", content=b"hello class")
    response = get(stored.url)
    assert response.content == b"hello class"
    assert response.headers["Content-Type"].startswith("text/plain")


def test_url_and_path_name_the_file(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room 1.mp4", size=1, path="recordings/room-1/room 1.mp4")
    assert stored.url == f"{emu.url}/files/{stored.file_id}/room%201.mp4?signature={stored.signature}"
    assert stored.path == "recordings/room-1/room 1.mp4"
    assert get(stored.url).status_code == 200


def test_head_answers_the_headers_without_a_body(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=1000)
    response = requests.head(stored.url, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == "1000"
    assert response.headers["ETag"] == stored.etag
    assert response.content == b""


def test_files_need_no_token(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    assert get(stored.url, Authorization="not-a-token").status_code == 200


def test_file_requests_are_recorded_with_their_headers(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    get(stored.url, Range="bytes=0-1")
    [recorded] = emu.requests_to("GET", f"/files/{stored.file_id}/room.mp4")
    assert recorded.status == 206
    assert recorded.headers["range"] == "bytes=0-1"
    assert recorded.token_claims is None


# --- ranges -----------------------------------------------------------------------------------


def test_a_closed_range_answers_206_with_exactly_those_bytes(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=2 * SEGMENT_SIZE)
    start, last = SEGMENT_SIZE - 10, SEGMENT_SIZE + 9
    response = get(stored.url, Range=f"bytes={start}-{last}")
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {start}-{last}/{stored.size}"
    assert response.headers["Content-Length"] == "20"
    assert response.content == stored.read(start, last + 1)


def test_an_open_range_runs_to_the_end(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100)
    response = get(stored.url, Range="bytes=90-")
    assert response.headers["Content-Range"] == "bytes 90-99/100"
    assert response.content == stored.read(90)


def test_a_suffix_range_gives_the_last_bytes(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100)
    response = get(stored.url, Range="bytes=-5")
    assert response.headers["Content-Range"] == "bytes 95-99/100"
    assert response.content == stored.read(95)


def test_a_range_past_the_end_answers_416(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100)
    response = get(stored.url, Range="bytes=100-")
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */100"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=9-3", "items=0-1", "bytes=-"])
def test_multiple_or_malformed_ranges_are_ignored(emu: VideoSDKEmulator, header: str) -> None:
    stored = emu.files.add("room.mp4", size=100)
    response = get(stored.url, Range=header)
    assert response.status_code == 200
    assert len(response.content) == 100


def test_if_range_with_another_validator_sends_the_whole_file(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100)
    assert get(stored.url, Range="bytes=50-", **{"If-Range": stored.etag}).status_code == 206
    assert get(stored.url, Range="bytes=50-", **{"If-Range": '"changed"'}).status_code == 200


def test_a_file_without_range_support_always_sends_everything(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100, ranges=False)
    response = get(stored.url, Range="bytes=50-")
    assert response.status_code == 200
    assert response.headers["Accept-Ranges"] == "none"
    assert len(response.content) == 100


# --- errors -----------------------------------------------------------------------------------


def test_unknown_file_answers_404(emu: VideoSDKEmulator) -> None:
    response = get(f"{emu.url}/files/0123/room.mp4")
    assert response.status_code == 404
    assert response.json()["message"] == "File not found"


@pytest.mark.parametrize("query", ["", "?signature=0123", "?other=1"])
def test_a_url_without_its_own_signature_answers_403(emu: VideoSDKEmulator, query: str) -> None:
    stored = emu.files.add("room.mp4", size=10)
    response = get(f"{emu.url}/files/{stored.file_id}/room.mp4{query}")
    assert response.status_code == 403
    assert response.json()["message"] == "Request has expired or is not signed"


def test_each_file_has_its_own_signature(emu: VideoSDKEmulator) -> None:
    first, second = emu.files.add("a.mp4", size=1), emu.files.add("b.mp4", size=1)
    assert first.signature != second.signature
    assert len(first.signature) == 32


def test_a_file_under_another_name_answers_404(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    assert get(f"{emu.url}/files/{stored.file_id}/other.mp4").status_code == 404


def test_a_removed_file_answers_404(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    emu.files.remove(stored.file_id)
    assert get(stored.url).status_code == 404


def test_files_refuse_other_methods(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    response = requests.post(stored.url, timeout=TIMEOUT)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("", {"size": 1}),
        ("a/b.mp4", {"size": 1}),
        ("room.mp4", {}),
        ("room.mp4", {"size": 1, "content": b"x"}),
        ("room.mp4", {"size": -1}),
    ],
)
def test_add_rejects_bad_arguments(emu: VideoSDKEmulator, name: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="name|size"):
        emu.files.add(name, **kwargs)  # type: ignore[arg-type]


def test_reset_forgets_files_and_download_faults(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=10)
    emu.cut_download_after(1)
    emu.slow_download(1)
    emu.reset()
    assert emu.files.files == []
    fresh = emu.files.add("room.mp4", size=10)
    assert len(get(fresh.url).content) == 10
    assert get(stored.url).status_code == 404


# --- download faults --------------------------------------------------------------------------


def test_cut_download_closes_the_connection_mid_body(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=SEGMENT_SIZE)
    emu.cut_download_after(1000)
    with requests.get(stored.url, stream=True, timeout=TIMEOUT) as response:
        assert response.headers["Content-Length"] == str(SEGMENT_SIZE)
        with pytest.raises(requests.exceptions.ChunkedEncodingError, match="1000 bytes read"):
            response.content  # noqa: B018 - reading the body is the point


def test_cut_download_applies_to_the_next_downloads_only(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=100)
    emu.cut_download_after(10, times=2)
    for _ in range(2):
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            get(stored.url)
    assert len(get(stored.url).content) == 100


def test_slow_download_sends_the_whole_body_no_faster_than_the_rate(emu: VideoSDKEmulator) -> None:
    stored = emu.files.add("room.mp4", size=3000)
    emu.slow_download(10_000)
    started = time.monotonic()
    response = get(stored.url)
    assert time.monotonic() - started >= 0.25
    assert response.content == stored.read()


def test_admin_endpoint_adds_a_file_and_download_faults(emu: VideoSDKEmulator) -> None:
    answer = requests.post(
        f"{emu.url}/_emulator/files", json={"name": "room.mp4", "size": 100}, timeout=TIMEOUT
    ).json()
    assert answer["size"] == 100
    fault = {"kind": "cut_download", "after_bytes": 10}
    assert requests.post(f"{emu.url}/_emulator/faults", json=fault, timeout=TIMEOUT).status_code == 200
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(answer["url"])
    text = requests.post(
        f"{emu.url}/_emulator/files", json={"name": "summary.txt", "content": "short"}, timeout=TIMEOUT
    ).json()
    assert get(text["url"]).content == b"short"
