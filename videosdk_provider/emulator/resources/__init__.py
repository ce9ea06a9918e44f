"""
The emulated API resources, one module each: its records and its endpoint handlers.

To add one, write ``resources/<name>.py`` with a :class:`~videosdk_provider.emulator.core.Resource`
subclass and list it in :data:`RESOURCES` after the resources it uses.
"""

from __future__ import annotations

from videosdk_provider.emulator.resources.rooms import Rooms
from videosdk_provider.emulator.resources.sessions import Sessions

RESOURCES = (Rooms, Sessions)

__all__ = ["RESOURCES", "Rooms", "Sessions"]
