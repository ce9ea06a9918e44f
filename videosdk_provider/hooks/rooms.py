"""Rooms endpoints of the hook: create (one or many), fetch, validate, list and deactivate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, cast

from videosdk_provider.bodies.checking import Checker
from videosdk_provider.bodies.rooms import validate_room_bodies, validate_room_body
from videosdk_provider.constants import DEFAULT_PER_PAGE
from videosdk_provider.exceptions import (
    BatchItemFailure,
    InvalidRequestError,
    VideoSDKAmbiguousCreateError,
    VideoSDKBatchError,
    VideoSDKError,
    VideoSDKUnsafeBatchError,
)
from videosdk_provider.hooks.core import Ambiguity, VideoSDKBaseHook
from videosdk_provider.models.rooms import Room

#: Answers of ``GET /v2/rooms/validate/{roomId}`` that mean "not a valid room" (as the Node SDK reads them).
_INVALID_ROOM_STATUSES = (400, 402, 404)
#: A create without ``customRoomId`` that may have reached the server is never repeated.
_AMBIGUOUS_CREATE = Ambiguity(
    hint=(
        "the room may or may not have been created, so the request was not repeated. Set "
        "custom_room_id (for example from the run id) to make room creation idempotent and safe to retry"
    ),
    error=VideoSDKAmbiguousCreateError,
)


def _create_options(body: Mapping[str, Any]) -> dict[str, Any]:
    """Request options of a Create Room call: idempotent only with a ``customRoomId``."""
    return {"json_body": body, "idempotent": "customRoomId" in body, "ambiguity": _AMBIGUOUS_CREATE}


class RoomsHookMixin(VideoSDKBaseHook):
    """The rooms resource: ``/v2/rooms``."""

    def create_room(self, **body: Any) -> Room:
        """
        Create a room (``POST /v2/rooms``) from Create Room body fields, checked before sending.

        With ``customRoomId`` the call is idempotent (a repeat returns the existing room), so it is
        retried after a lost answer; without it, it is not.
        """
        validate_room_body(body)
        return self._send_create_room(body)

    async def acreate_room(self, **body: Any) -> Room:
        """Create a room like :meth:`create_room`, without blocking the event loop."""
        validate_room_body(body)
        return cast("Room", await self.arequest("POST", "/v2/rooms", **_create_options(body)))

    def _send_create_room(self, body: Mapping[str, Any]) -> Room:
        """Send a Create Room body that was already checked."""
        return cast("Room", self.request("POST", "/v2/rooms", **_create_options(body)))

    def create_rooms(
        self, bodies: Sequence[Mapping[str, Any]], *, max_concurrency: int | None = None
    ) -> list[Room]:
        """
        Create many rooms, up to ``max_concurrency`` requests at a time; return them in input order.

        Every body is checked before the first request, so one bad item creates nothing. Each item
        is then sent as :meth:`create_room` sends it, retries included, over this hook's connection
        pool: ``max_concurrency`` defaults to ``pool_size`` and may not exceed it. When items fail,
        the others still run, then :class:`~videosdk_provider.exceptions.VideoSDKBatchError` lists
        each failure (index, customRoomId, status, message) and keeps the rooms created in ``results``.

        Items with a ``customRoomId`` are idempotent, so repeating the batch creates only what is
        missing. Items without one are not safe to repeat: if any item lacks it, the error is a
        :class:`~videosdk_provider.exceptions.VideoSDKUnsafeBatchError`, which Airflow does not retry.
        """
        validate_room_bodies(bodies)
        concurrency = self.pool_size if max_concurrency is None else max_concurrency
        check = Checker()
        unit = " (the hook's pool_size: build the hook with pool_size=max_concurrency for more)"
        check.integer("max_concurrency", concurrency, low=1, high=self.pool_size, unit=unit)
        check.raise_problems()
        if not bodies:
            return []
        # Resolve the connection, the session and the token once, before the threads share them.
        self.get_token()
        self.get_conn()
        results: list[Room | None] = [None] * len(bodies)
        failures: list[BatchItemFailure] = []
        workers = ThreadPoolExecutor(min(concurrency, len(bodies)), thread_name_prefix="videosdk-rooms")
        try:
            futures = {
                workers.submit(self._send_create_room, body): index for index, body in enumerate(bodies)
            }
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except VideoSDKError as error:
                    failures.append(BatchItemFailure(index, bodies[index].get("customRoomId"), error))
        finally:
            # Normally every item is done here; on an interruption (task timeout, kill) stop the queue.
            workers.shutdown(cancel_futures=True)
        if failures:
            failures.sort(key=lambda failure: failure.index)
            unsafe = any("customRoomId" not in body for body in bodies)
            error_class = VideoSDKUnsafeBatchError if unsafe else VideoSDKBatchError
            raise error_class(failures, results, method="POST", path="/v2/rooms")
        return cast("list[Room]", results)

    def get_room(self, room_id: str) -> Room:
        """Fetch a room by its roomId, customRoomId or internal id."""
        return cast("Room", self.request("GET", self._path("/v2/rooms/{room_id}", room_id=room_id)))

    def validate_room(self, room_id: str) -> Room | None:
        """
        Return the room if it exists and is active, ``None`` if it is not valid.

        ``room_id`` is a roomId or a customRoomId. Not valid: the API answers 400, 402 or 404 (as
        the Node SDK reads them), or the room is deactivated. Other failures raise.
        """
        path = self._path("/v2/rooms/validate/{room_id}", room_id=room_id)
        try:
            room = cast("Room", self.request("GET", path))
        except VideoSDKError as error:
            if error.status in _INVALID_ROOM_STATUSES:
                return None
            raise
        return None if room.get("disabled") else room

    def iter_rooms(self, *, per_page: int = DEFAULT_PER_PAGE) -> Iterator[Room]:
        """Every room of the account, newest first, following ``pageInfo`` through all pages."""
        check = Checker()
        check.integer("per_page", per_page, low=1, high=None)
        check.raise_problems()
        return self._paged("/v2/rooms", {"perPage": per_page})

    def deactivate_room(self, room_id: str) -> Room:
        """
        Deactivate a room by its VideoSDK roomId; no session can start in it afterwards.

        The API takes only the roomId (a customRoomId is answered 402), and room ids have no
        reliable format, so the room is read first (a GET, which accepts either id): a
        ``room_id`` that is not the room's ``roomId`` is refused with
        :class:`~videosdk_provider.exceptions.InvalidRequestError` naming the roomId to use. A room
        that is already deactivated is returned without a second deactivation, so repeating this
        call (say, a task retry after a lost answer) is safe, although the POST itself is never
        retried.
        """
        room = self.get_room(room_id)
        actual = room.get("roomId")
        if actual != room_id:
            raise InvalidRequestError(
                [
                    (
                        f"room_id: {room_id!r} is not a VideoSDK roomId but another id of room {actual!r} "
                        f"(customRoomId {room.get('customRoomId')!r}); deactivation takes the roomId "
                        f"only, so pass {actual!r}"
                    )
                ]
            )
        if room.get("disabled"):
            self.log.info("VideoSDK room %s is already deactivated", room_id)
            return room
        return cast("Room", self.request("POST", "/v2/rooms/deactivate", json_body={"roomId": room_id}))
