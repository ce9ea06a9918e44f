"""What of a URL may be shown."""

from __future__ import annotations

from videosdk_provider.utils.urls import public_url, without_signed_urls


def test_public_url_drops_credentials_query_and_fragment() -> None:
    assert public_url("https://user:pw@store.example.com:8443/a/b.mp4?sig=1#x") == (
        "https://store.example.com:8443/a/b.mp4"
    )


def test_public_url_keeps_a_url_without_secrets_as_it_is() -> None:
    assert (
        public_url("https://cdn.example.com/recordings/r.mp4") == "https://cdn.example.com/recordings/r.mp4"
    )


def test_every_file_url_at_any_depth_loses_its_query() -> None:
    data = {
        "fileUrl": "https://s.example/a.mp4?sig=1",
        "files": [{"fileUrl": "https://s.example/b.mp4?sig=2"}, "kept"],
        "file": {"fileUrl": "https://s.example/c.mp4?sig=3", "size": 3},
    }
    assert without_signed_urls(data) == {
        "fileUrl": "https://s.example/a.mp4",
        "files": [{"fileUrl": "https://s.example/b.mp4"}, "kept"],
        "file": {"fileUrl": "https://s.example/c.mp4", "size": 3},
    }


def test_other_urls_are_kept_as_they_are() -> None:
    data = {"playbackHlsUrl": "https://h.example/p.m3u8?token=t", "fileUrl": None}
    assert without_signed_urls(data) == data
