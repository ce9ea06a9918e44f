"""Where one media item (a recording, a post-call transcription) stands: one word for every reader."""

from __future__ import annotations

from typing import Literal

#: ``done``: its result is there (a recording's file, a transcription's files); ``failed``: it never
#: will be; ``waiting``: it may still come (running, processing, in progress).
Progress = Literal["done", "waiting", "failed"]
