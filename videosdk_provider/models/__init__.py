"""
Shapes of what the VideoSDK API returns, and the rules read from them, one module per resource.

The shapes are typed dicts: plain JSON dicts at run time (so they go to XCom as they are), typed
for readers and checkers. Fields the API adds later are kept, never rejected.
"""

from __future__ import annotations

from videosdk_provider.models.hls import Hls
from videosdk_provider.models.livestreams import Livestream, LivestreamOutput
from videosdk_provider.models.participant_recordings import (
    MergedRecording,
    MergeFile,
    ParticipantRecording,
    ParticipantRecordingFile,
)
from videosdk_provider.models.post_transcriptions import PostTranscription, TranscriptionState
from videosdk_provider.models.realtime_transcriptions import RealtimeTranscription
from videosdk_provider.models.recordings import Recording, RecordingFile, RecordingFileMeta, RecordingsState
from videosdk_provider.models.rooms import Room, RoomLinks
from videosdk_provider.models.sessions import LatestSessions, Participant, ParticipantTimelog, Session
from videosdk_provider.models.stops import StopResult

__all__ = [
    "Hls",
    "LatestSessions",
    "Livestream",
    "LivestreamOutput",
    "MergeFile",
    "MergedRecording",
    "Participant",
    "ParticipantRecording",
    "ParticipantRecordingFile",
    "ParticipantTimelog",
    "PostTranscription",
    "RealtimeTranscription",
    "Recording",
    "RecordingFile",
    "RecordingFileMeta",
    "RecordingsState",
    "Room",
    "RoomLinks",
    "Session",
    "StopResult",
    "TranscriptionState",
]
