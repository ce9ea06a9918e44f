"""
The emulated API resources, one module each: its records and its endpoint handlers.

To add one, write ``resources/<name>.py`` with a :class:`~videosdk_provider.emulator.core.Resource`
subclass and list it in :data:`RESOURCES` after the resources it uses.
"""

from __future__ import annotations

from videosdk_provider.emulator.resources.hls import Hls
from videosdk_provider.emulator.resources.livestreams import Livestreams
from videosdk_provider.emulator.resources.participant_recordings import ParticipantRecordings
from videosdk_provider.emulator.resources.post_transcriptions import PostTranscriptions
from videosdk_provider.emulator.resources.realtime_transcriptions import RealtimeTranscriptions
from videosdk_provider.emulator.resources.recordings import Recordings
from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.resources.sessions import Sessions
from videosdk_provider.emulator.resources.webhooks import Webhooks

RESOURCES = (
    Rooms,
    Sessions,
    Hls,
    Livestreams,
    RealtimeTranscriptions,
    PostTranscriptions,
    Recordings,
    ParticipantRecordings,
    Webhooks,
)

__all__ = [
    "RESOURCES",
    "Hls",
    "Livestreams",
    "ParticipantRecordings",
    "PostTranscriptions",
    "RealtimeTranscriptions",
    "Recordings",
    "Rooms",
    "Sessions",
    "Webhooks",
]
