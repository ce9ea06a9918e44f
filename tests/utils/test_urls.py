"""What of a URL may be shown."""

from __future__ import annotations

from videosdk_provider.utils.urls import public_url


def test_public_url_drops_credentials_query_and_fragment() -> None:
    assert public_url("https://user:pw@store.example.com:8443/a/b.mp4?sig=1#x") == (
        "https://store.example.com:8443/a/b.mp4"
    )


def test_public_url_keeps_a_url_without_secrets_as_it_is() -> None:
    assert (
        public_url("https://cdn.example.com/recordings/r.mp4") == "https://cdn.example.com/recordings/r.mp4"
    )
