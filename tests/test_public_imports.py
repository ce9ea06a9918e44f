"""Every public import path of the provider keeps working, whatever moves behind it."""

from __future__ import annotations

import importlib

import pytest

PUBLIC_NAMES = [
    ("videosdk_provider.hooks.videosdk", "VideoSDKHook"),
    ("videosdk_provider.operators.rooms", "CreateRoomOperator"),
    ("videosdk_provider.operators.rooms", "CreateRoomsOperator"),
    ("videosdk_provider.operators.rooms", "ValidateRoomOperator"),
    ("videosdk_provider.operators.rooms", "GetRoomOperator"),
    ("videosdk_provider.operators.rooms", "ListRoomsOperator"),
    ("videosdk_provider.operators.rooms", "DeactivateRoomOperator"),
    ("videosdk_provider.operators.sessions", "EndSessionOperator"),
    ("videosdk_provider.operators.recordings", "StartRecordingOperator"),
    ("videosdk_provider.operators.recordings", "StopRecordingOperator"),
    ("videosdk_provider.operators.hls", "StartHlsOperator"),
    ("videosdk_provider.operators.hls", "StopHlsOperator"),
    ("videosdk_provider.operators.livestreams", "StartLivestreamOperator"),
    ("videosdk_provider.operators.livestreams", "StopLivestreamOperator"),
    ("videosdk_provider.operators.realtime_transcriptions", "StartRealtimeTranscriptionOperator"),
    ("videosdk_provider.operators.realtime_transcriptions", "StopRealtimeTranscriptionOperator"),
    ("videosdk_provider.sensors.sessions", "VideoSDKSessionSensor"),
    ("videosdk_provider.sensors.recordings", "VideoSDKRecordingsSensor"),
    ("videosdk_provider.sensors.post_transcriptions", "VideoSDKPostTranscriptionSensor"),
    ("videosdk_provider.triggers.sessions", "VideoSDKSessionTrigger"),
    ("videosdk_provider.triggers.recordings", "VideoSDKRecordingsTrigger"),
    ("videosdk_provider.triggers.post_transcriptions", "VideoSDKPostTranscriptionTrigger"),
    ("videosdk_provider.transfers.videosdk_to_object_storage", "VideoSDKToObjectStorageOperator"),
    ("videosdk_provider.hooks.downloads", "FileDownloader"),
    ("videosdk_provider.links.videosdk", "VideoSDKRoomLink"),
    ("videosdk_provider.links.hls", "VideoSDKHlsPlaybackLink"),
    ("videosdk_provider.exceptions", "InvalidRequestError"),
    ("videosdk_provider.exceptions", "VideoSDKError"),
    ("videosdk_provider.exceptions", "VideoSDKAmbiguousCreateError"),
    ("videosdk_provider.exceptions", "VideoSDKBatchError"),
    ("videosdk_provider.exceptions", "VideoSDKTransferError"),
    ("videosdk_provider.exceptions", "VideoSDKFileNotFoundError"),
    ("videosdk_provider.models", "Room"),
    ("videosdk_provider.models", "Session"),
    ("videosdk_provider.models", "Participant"),
    ("videosdk_provider.emulator", "VideoSDKEmulator"),
    ("videosdk_provider.emulator", "DEFAULT_API_KEY"),
    ("videosdk_provider.emulator", "DEFAULT_SECRET"),
    ("videosdk_provider.emulator", "RecordedRequest"),
    ("videosdk_provider.emulator", "StoredFile"),
    ("videosdk_provider.emulator.__main__", "build_parser"),
    ("videosdk_provider.emulator.pytest_plugin", "videosdk_emulator"),
    ("videosdk_provider.emulator.pytest_plugin", "videosdk_connection"),
    ("videosdk_provider.get_provider_info", "get_provider_info"),
    ("videosdk_provider.webhooks", "videosdk_event_asset"),
    ("videosdk_provider.webhooks", "videosdk_event_data"),
    ("videosdk_provider.webhooks", "verify_signature"),
    ("videosdk_provider.webhooks", "parse_event"),
    ("videosdk_provider.webhooks", "WebhookEvent"),
    ("videosdk_provider.webhooks", "WebhookPayloadError"),
    ("videosdk_provider.webhooks", "PublicKeyCache"),
    ("videosdk_provider.webhooks", "SIGNATURE_HEADER"),
    ("videosdk_provider.webhooks.receiver", "create_receiver_app"),
    ("videosdk_provider.webhooks.store", "AssetEventStore"),
    ("videosdk_provider.triggers.events", "VideoSDKEventTrigger"),
    ("videosdk_provider.triggers.events", "videosdk_event_watcher"),
    ("videosdk_provider.plugins.videosdk", "VideoSDKPlugin"),
]


@pytest.mark.parametrize(("module", "name"), PUBLIC_NAMES, ids=[f"{m}.{n}" for m, n in PUBLIC_NAMES])
def test_public_name_imports_from_its_documented_path(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is not None


def test_the_trigger_serialises_under_its_public_path() -> None:
    from videosdk_provider.triggers.sessions import VideoSDKSessionTrigger

    trigger = VideoSDKSessionTrigger(room_id="r", target="started", waiting_since=0.0, poll_interval=1.0)
    assert trigger.serialize()[0] == "videosdk_provider.triggers.sessions.VideoSDKSessionTrigger"
