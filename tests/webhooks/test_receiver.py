"""The receiver app in process: real signatures, real asset events in the test's Airflow database."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from webhook_kit import KeyPair, Receiver, asset_event_count, asset_event_extras, envelope

from videosdk_provider.webhooks import SIGNATURE_HEADER, PublicKeyCache, parse_event
from videosdk_provider.webhooks.receiver import ReceiverSettings, create_receiver_app
from videosdk_provider.webhooks.store import AssetEventStore, deliveries

Watch = Callable[[str], None]


def test_a_signed_delivery_records_one_asset_event_with_the_data(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped", filePath="recordings/room-1/r.mp4", fileUrl="https://f/r.mp4")
    answer = receiver.deliver(body)
    assert (answer.status_code, answer.json()) == (200, {"status": "recorded"})
    assert asset_event_extras("recording-stopped") == [json.loads(body)["data"]]


def test_a_recorded_file_url_keeps_no_signature(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped", fileUrl="https://cdn.example/r.mp4?X-Amz-Signature=secret-sig")
    assert receiver.deliver(body).json() == {"status": "recorded"}
    [extra] = asset_event_extras("recording-stopped")
    assert extra["fileUrl"] == "https://cdn.example/r.mp4"
    assert "secret-sig" not in json.dumps(extra)


def test_the_same_body_delivered_again_records_no_second_event(receiver: Receiver, watch: Watch) -> None:
    watch("session-ended")
    body = envelope("session-ended", end="2026-01-01T10:00:00.000Z")
    assert receiver.deliver(body).json() == {"status": "recorded"}
    again = receiver.deliver(body)
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert asset_event_count("session-ended") == 1


def test_two_events_of_one_type_record_two_asset_events(receiver: Receiver, watch: Watch) -> None:
    watch("participant-joined")
    receiver.deliver(envelope("participant-joined", participantId="p-1"))
    receiver.deliver(envelope("participant-joined", participantId="p-2"))
    assert [extra["participantId"] for extra in asset_event_extras("participant-joined")] == ["p-1", "p-2"]


def test_an_event_no_dag_declares_is_accepted_and_not_recorded(
    receiver: Receiver, clean_events: None
) -> None:
    answer = receiver.deliver(envelope("hls-playable", playbackHlsUrl="https://h/p.m3u8"))
    assert (answer.status_code, answer.json()) == (202, {"status": "unwatched"})
    assert asset_event_count("hls-playable") == 0


def test_an_event_type_videosdk_adds_later_is_accepted(receiver: Receiver) -> None:
    assert receiver.deliver(envelope("brand-new-event")).status_code == 202


def test_a_tampered_body_is_refused_with_401_and_no_detail(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped", fileUrl="https://f/r.mp4")
    tampered = body.replace(b"https://f/", b"https://evil/")
    answer = receiver.deliver(tampered, signature=receiver.keys.sign(body))
    assert (answer.status_code, answer.content) == (401, b"")
    assert asset_event_count("recording-stopped") == 0


def test_a_signature_by_another_key_is_refused(receiver: Receiver, watch: Watch, other_keys: KeyPair) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped")
    assert receiver.deliver(body, signature=other_keys.sign(body)).status_code == 401
    assert asset_event_count("recording-stopped") == 0


def test_a_delivery_without_signature_is_refused(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    answer = receiver.client.post("/webhooks", content=envelope("recording-stopped"))
    assert answer.status_code == 401
    assert asset_event_count("recording-stopped") == 0


def test_a_body_over_the_limit_is_refused_with_413(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped", padding="x" * (64 * 1024))
    assert receiver.deliver(body).status_code == 413
    assert asset_event_count("recording-stopped") == 0


def test_a_chunked_body_over_the_limit_is_refused_with_413(receiver: Receiver, watch: Watch) -> None:
    watch("recording-stopped")
    body = envelope("recording-stopped", padding="x" * (64 * 1024))

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    answer = receiver.client.post("/webhooks", content=chunks(), headers={SIGNATURE_HEADER: "x"})
    assert answer.status_code == 413
    assert asset_event_count("recording-stopped") == 0


def test_a_signed_body_that_is_not_an_envelope_is_refused_with_400(receiver: Receiver) -> None:
    answer = receiver.deliver(b'{"webhookType": 42}')
    assert answer.status_code == 400
    assert "webhookType" in answer.json()["detail"]


def test_a_client_over_the_rate_is_answered_429_with_retry_after(
    clean_events: None, videosdk_keys: KeyPair
) -> None:
    from fastapi.testclient import TestClient

    keys = PublicKeyCache(pinned=videosdk_keys.public_pem)
    settings = ReceiverSettings(rate_per_second=0.5, burst=2)
    app = create_receiver_app(keys=lambda: keys, store=AssetEventStore(), settings=settings)
    with TestClient(app) as client:
        answers = [client.post("/webhooks", content=b"{}") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [401, 401, 429]
    assert answers[2].headers["Retry-After"] == "2"


def test_no_key_to_check_with_answers_503_so_videosdk_retries(
    clean_events: None, watch: Watch, videosdk_keys: KeyPair, receiver_settings: ReceiverSettings
) -> None:
    from fastapi.testclient import TestClient

    def no_connection() -> PublicKeyCache:
        raise LookupError("The conn_id `videosdk_default` isn't defined")

    watch("recording-stopped")
    app = create_receiver_app(keys=no_connection, store=AssetEventStore(), settings=receiver_settings)
    body = envelope("recording-stopped")
    with TestClient(app) as client:
        answer = client.post(
            "/webhooks", content=body, headers={"videosdk-signature": videosdk_keys.sign(body)}
        )
    assert answer.status_code == 503
    assert asset_event_count("recording-stopped") == 0


def test_a_database_failure_answers_503_and_the_retry_records_the_event(
    receiver: Receiver, watch: Watch
) -> None:
    from airflow import settings

    watch("recording-stopped")
    body = envelope("recording-stopped")
    receiver.deliver(envelope("session-started"))  # the store is warm: its table exists
    deliveries.drop(settings.engine)
    try:
        assert receiver.deliver(body).status_code == 503
        assert asset_event_count("recording-stopped") == 0
    finally:
        deliveries.create(settings.engine)
    assert receiver.deliver(body).json() == {"status": "recorded"}
    assert asset_event_count("recording-stopped") == 1


def test_a_database_error_opening_a_connection_is_tried_again_and_records_one_event(
    receiver: Receiver, watch: Watch
) -> None:
    import sqlite3

    from airflow import settings
    from sqlalchemy import event

    watch("session-started")
    body = envelope("session-started", start="2026-01-01T09:00:00.000Z")
    failures = [sqlite3.OperationalError("disk I/O error")]
    receiver.deliver(envelope("session-ended"))  # the store is warm: its table exists

    def fail_once(dbapi_connection: object, connection_record: object) -> None:
        if failures:
            raise failures.pop()

    settings.engine.dispose()  # the next checkout opens a new connection
    event.listen(settings.engine, "connect", fail_once)
    try:
        answer = receiver.deliver(body)
    finally:
        event.remove(settings.engine, "connect", fail_once)
    assert failures == []
    assert (answer.status_code, answer.json()) == (200, {"status": "recorded"})
    assert asset_event_count("session-started") == 1


def test_concurrent_deliveries_of_one_body_record_one_event(receiver: Receiver, watch: Watch) -> None:
    watch("session-ended")
    body = envelope("session-ended", end="2026-01-01T10:00:00.000Z")
    store, event, digest = AssetEventStore(), parse_event(body), hashlib.sha256(body).hexdigest()
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def deliver() -> None:
        barrier.wait()
        outcomes.append(store.record(event, digest).value)

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate"] * 5 + ["recorded"]
    assert asset_event_count("session-ended") == 1


def test_info_logs_never_hold_the_signature_or_the_body(
    receiver: Receiver, watch: Watch, other_keys: KeyPair, caplog: pytest.LogCaptureFixture
) -> None:
    watch("recording-stopped")
    secret_url = "https://storage.example/very-private-file.mp4"
    body = envelope("recording-stopped", fileUrl=secret_url)
    signature = receiver.keys.sign(body)
    with caplog.at_level(logging.INFO):
        receiver.deliver(body, signature=signature)
        receiver.deliver(body, signature=other_keys.sign(body))
        receiver.deliver(b'{"webhookType": 1, "data": "' + secret_url.encode() + b'"}')
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "recording-stopped recorded" in logged
    assert signature not in logged
    assert secret_url not in logged
    assert receiver.keys.public_pem.splitlines()[1] not in logged


def test_settings_come_from_the_videosdk_section_of_the_airflow_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIRFLOW__VIDEOSDK__WEBHOOK_CONN_ID", "videosdk_webhooks")
    monkeypatch.setenv("AIRFLOW__VIDEOSDK__WEBHOOK_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("AIRFLOW__VIDEOSDK__WEBHOOK_RATE_LIMIT", "2.5")
    monkeypatch.setenv("AIRFLOW__VIDEOSDK__WEBHOOK_RATE_BURST", "7")
    assert ReceiverSettings.from_config() == ReceiverSettings("videosdk_webhooks", 4096, 2.5, 7)


def test_settings_default_without_configuration() -> None:
    assert ReceiverSettings.from_config() == ReceiverSettings()
