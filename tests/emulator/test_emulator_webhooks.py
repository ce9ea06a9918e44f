"""The emulator delivers signed webhooks to room subscriptions and per-call URLs, with retries and a log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import requests

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.webhooks import parse_event, verify_signature

if TYPE_CHECKING:
    from conftest import WebhookSink as Sink


@pytest.fixture
def sink(webhook_sink: Sink) -> Sink:
    return webhook_sink


@pytest.fixture
def emu(videosdk_emulator: VideoSDKEmulator) -> Iterator[VideoSDKEmulator]:
    """Yield the emulator with quick retries, restoring its delivery settings afterwards."""
    deliverer = videosdk_emulator.webhooks
    saved = deliverer.retries, deliverer.retry_delay
    deliverer.retry_delay = 0.01
    yield videosdk_emulator
    deliverer.wait_idle()
    deliverer.retries, deliverer.retry_delay = saved


@pytest.fixture
def room_with_webhook(emu: VideoSDKEmulator) -> Callable[..., str]:
    def create(end_point: str, events: list[str]) -> str:
        answer = requests.post(
            f"{emu.url}/v2/rooms",
            json={"webhook": {"endPoint": end_point, "events": events}},
            headers={"Authorization": _token(emu)},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        room_id: str = answer.json()["roomId"]
        return room_id

    return create


def _token(emu: VideoSDKEmulator) -> str:
    from videosdk_provider.hooks.core import sign_token

    token, _ = sign_token(emu.api_key, emu.secret, ttl=600, permissions=["allow_join"], roles=["crawler"])
    return token


def _run_session(emu: VideoSDKEmulator, room_id: str) -> None:
    emu.start_session(room_id)
    emu.join(room_id, "p-1", "Ada")
    emu.leave(room_id, "p-1")
    emu.end_session(room_id)
    assert emu.webhooks.wait_idle()


def test_the_public_key_is_served_and_checks_every_delivery(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    answer = requests.get(
        f"{emu.url}/v2/public/rsa-public-key", headers={"Authorization": _token(emu)}, timeout=10
    )
    public_key = answer.json()["publicKey"]
    assert public_key.startswith("-----BEGIN PUBLIC KEY-----")
    _run_session(emu, room_with_webhook(sink.url, ["*"]))
    assert sink.received
    assert all(verify_signature(body, signature, public_key) for body, signature in sink.received)


def test_a_star_subscription_gets_every_session_and_participant_event(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    room_id = room_with_webhook(sink.url, ["*"])
    _run_session(emu, room_id)
    assert sink.event_types() == [
        "session-started",
        "participant-joined",
        "participant-left",
        "session-ended",
    ]
    ended = parse_event(sink.received[-1][0])
    assert ended.room_id == room_id
    assert {"sessionId", "start", "end"} <= set(ended.data)


def test_only_matching_events_are_delivered(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    _run_session(emu, room_with_webhook(sink.url, ["session-*", "participant-left"]))
    assert sink.event_types() == ["session-started", "participant-left", "session-ended"]


def test_a_room_without_subscription_sends_nothing(emu: VideoSDKEmulator, sink: Sink) -> None:
    answer = requests.post(f"{emu.url}/v2/rooms", json={}, headers={"Authorization": _token(emu)}, timeout=10)
    _run_session(emu, answer.json()["roomId"])
    assert sink.received == []
    assert emu.webhooks.deliveries == []


def test_a_per_call_webhook_url_gets_the_event(emu: VideoSDKEmulator, sink: Sink) -> None:
    emu.events.publish(
        "recording-stopped", {"meetingId": "r-1", "fileUrl": "u"}, room_id="r-1", webhook_url=sink.url
    )
    assert emu.webhooks.wait_idle()
    assert sink.event_types() == ["recording-stopped"]


def test_a_failed_delivery_is_retried_until_answered_2xx(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    sink.statuses = [500, 503]
    room_id = room_with_webhook(sink.url, ["session-started"])
    emu.start_session(room_id)
    assert emu.webhooks.wait_idle()
    [delivery] = emu.webhooks.deliveries
    assert [attempt.status for attempt in delivery.attempts] == [500, 503, 200]
    assert delivery.delivered
    assert len(sink.received) == 3
    assert len({body for body, _ in sink.received}) == 1


def test_a_delivery_out_of_retries_is_logged_as_not_delivered(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    emu.webhooks.retries = 1
    sink.statuses = [500, 500, 500]
    emu.start_session(room_with_webhook(sink.url, ["session-started"]))
    assert emu.webhooks.wait_idle()
    [delivery] = emu.webhooks.deliveries
    assert [attempt.status for attempt in delivery.attempts] == [500, 500]
    assert not delivery.delivered


def test_an_unreachable_endpoint_is_retried_and_logged(
    emu: VideoSDKEmulator, room_with_webhook: Callable[..., str], refusing_url: str
) -> None:
    emu.webhooks.retries = 2
    emu.start_session(room_with_webhook(f"{refusing_url}/hook", ["session-started"]))
    assert emu.webhooks.wait_idle()
    [delivery] = emu.webhooks.deliveries
    assert len(delivery.attempts) == 3
    assert all(attempt.status is None and attempt.error for attempt in delivery.attempts)


def test_a_replay_sends_the_same_bytes_and_signature(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    emu.start_session(room_with_webhook(sink.url, ["session-started"]))
    assert emu.webhooks.wait_idle()
    [original] = emu.webhooks.deliveries
    replay = emu.webhooks.replay(original)
    assert emu.webhooks.wait_idle()
    assert (replay.kind, replay.delivered) == ("replay", True)
    assert sink.received[0] == sink.received[1]


def test_a_tampered_delivery_keeps_the_signature_of_other_bytes(
    emu: VideoSDKEmulator, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    emu.start_session(room_with_webhook(sink.url, ["session-started"]))
    assert emu.webhooks.wait_idle()
    [original] = emu.webhooks.deliveries
    tampered = emu.webhooks.send_tampered(original)
    assert emu.webhooks.wait_idle()
    body, signature = sink.received[1]
    assert tampered.kind == "tampered"
    assert body != original.body
    assert len(body) == len(original.body)
    assert signature == original.signature
    assert not verify_signature(body, signature, emu.webhooks.signer.public_pem)


def test_reset_clears_the_log_but_keeps_the_key(emu: VideoSDKEmulator, sink: Sink) -> None:
    key = emu.webhooks.signer.public_pem
    emu.events.publish("session-started", {}, room_id="r", webhook_url=sink.url)
    assert emu.webhooks.wait_idle()
    emu.reset()
    assert emu.webhooks.deliveries == []
    assert emu.webhooks.signer.public_pem == key


@pytest.mark.parametrize(
    "end_point", ["https://hooks.example.com/videosdk", "http://10.0.0.7/hook", "http://[2001:db8::1]/hook"]
)
def test_only_loopback_endpoints_are_delivered_to(
    end_point: str, emu: VideoSDKEmulator, room_with_webhook: Callable[..., str]
) -> None:
    _run_session(emu, room_with_webhook(end_point, ["*"]))
    assert emu.webhooks.deliveries == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "localhost", "[::1]"])
def test_loopback_urls_are_recognised(host: str) -> None:
    from videosdk_provider.emulator.webhooks import is_loopback_url

    assert is_loopback_url(f"http://{host}:8080/hook")


def test_reset_gives_up_the_deliveries_of_the_previous_test(emu: VideoSDKEmulator) -> None:
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused_url = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    for _ in range(3):
        emu.events.publish("session-started", {}, room_id="r", webhook_url=refused_url)
    emu.reset()
    assert emu.webhooks.wait_idle(timeout=3.0)


def _wait_for_event(emu: VideoSDKEmulator, sink: Sink, event_type: str, timeout: float = 10.0) -> None:
    """Wait until the sink got ``event_type`` (the emulator publishes it later) and every delivery is done."""
    deadline = time.monotonic() + timeout
    while event_type not in sink.event_types():
        assert time.monotonic() < deadline, f"no {event_type} delivered; got {sink.event_types()}"
        time.sleep(0.02)
    assert emu.webhooks.wait_idle()


def _signed(emu: VideoSDKEmulator, sink: Sink, event_type: str) -> dict[str, Any]:
    """Return the data of the one ``event_type`` delivery the sink got, checking its signature."""
    [(body, signature)] = [(b, s) for b, s in sink.received if parse_event(b).event_type == event_type]
    assert verify_signature(body, signature, emu.webhooks.signer.public_pem)
    return dict(parse_event(body).data)


def test_a_real_recording_stop_delivers_a_signed_recording_stopped_with_its_file(
    emu: VideoSDKEmulator, api: requests.Session, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    room_id = room_with_webhook(sink.url, ["recording-stopped"])
    session = emu.join(room_id, "ada", "Ada")
    api.post("/v2/recordings/start", json={"roomId": room_id})
    api.post("/v2/recordings/end", json={"roomId": room_id})
    assert emu.webhooks.wait_idle()
    assert sink.event_types() == ["recording-stopped"]
    data = _signed(emu, sink, "recording-stopped")
    assert (data["meetingId"], data["sessionId"]) == (room_id, session["id"])
    served = requests.get(data["fileUrl"], timeout=10)
    assert (served.status_code, len(served.content)) == (200, emu.recording_file_size)


def test_a_real_hls_start_delivers_signed_hls_started_to_the_room_endpoint(
    emu: VideoSDKEmulator, api: requests.Session, sink: Sink, room_with_webhook: Callable[..., str]
) -> None:
    room_id = room_with_webhook(sink.url, ["hls-started"])
    session = emu.start_session(room_id)
    hls = api.post("/v2/hls/start", json={"roomId": room_id}).json()
    assert emu.webhooks.wait_idle()
    assert sink.event_types() == ["hls-started"]
    assert _signed(emu, sink, "hls-started") == {
        "meetingId": room_id,
        "roomId": room_id,
        "sessionId": session["id"],
        "id": hls["id"],
        "playbackHlsUrl": hls["playbackHlsUrl"],
        "livestreamUrl": hls["livestreamUrl"],
    }


def test_a_post_call_transcription_delivers_signed_transcription_completed_to_the_call_webhook_url(
    emu: VideoSDKEmulator, api: requests.Session, sink: Sink
) -> None:
    room_id = api.post("/v2/rooms", json={}).json()["roomId"]  # no room subscription: the per-call URL only
    emu.join(room_id, "ada", "Ada")
    start = {"roomId": room_id, "webhookUrl": sink.url, "transcription": {"enabled": True}}
    api.post("/v2/recordings/start", json=start)
    api.post("/v2/recordings/end", json={"roomId": room_id})
    _wait_for_event(emu, sink, "transcription-completed")
    [transcription] = api.get("/ai/v1/post-transcriptions", params={"roomId": room_id}).json()[
        "transcriptions"
    ]
    data = _signed(emu, sink, "transcription-completed")
    assert (data["id"], data["roomId"], data["status"]) == (transcription["id"], room_id, "completed")
    assert [delivery.url for delivery in emu.webhooks.deliveries] == [sink.url] * len(sink.received)


def test_a_post_call_transcription_of_an_auto_started_recording_reaches_the_room_endpoint(
    emu: VideoSDKEmulator, api: requests.Session, sink: Sink
) -> None:
    body = {
        "webhook": {"endPoint": sink.url, "events": ["transcription-completed"]},
        "autoStartConfig": {"recording": {"transcription": {"enabled": True}}},
    }
    room_id = api.post("/v2/rooms", json=body).json()["roomId"]
    session = emu.start_session(room_id)
    emu.end_session(room_id)
    _wait_for_event(emu, sink, "transcription-completed")
    assert sink.event_types() == ["transcription-completed"]
    data = _signed(emu, sink, "transcription-completed")
    assert (data["meetingId"], data["sessionId"], data["status"]) == (room_id, session["id"], "completed")
