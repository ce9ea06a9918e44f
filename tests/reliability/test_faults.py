"""
Fault injection: each way the API can fail, over real HTTP to the emulator.

Each case injects one fault, makes one hook call, and checks what the server saw (the status it
answered each request with, 0 when it closed the connection without answering), what the call
returned or raised, and how many rooms exist afterwards: never more than one per call.
429 is retried for every request; 5xx, lost answers and read timeouts only where a repeat is safe
(GETs, and a create with a ``customRoomId``); other 4xx never.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.exceptions import (
    VideoSDKAmbiguousCreateError,
    VideoSDKAuthError,
    VideoSDKConflictError,
    VideoSDKConnectionError,
    VideoSDKNotFoundError,
    VideoSDKPermissionError,
    VideoSDKRateLimitError,
    VideoSDKServerError,
    VideoSDKValidationError,
)
from videosdk_provider.hooks.videosdk import VideoSDKHook

ConnectionSetter = Callable[..., str]
CUSTOM_ROOM_ID = "class-2026-03-02"
#: The hook's warning before each retry, e.g. "... answered HTTP 429; retry 1 of 3 in 1.00 s".
RETRY_LINE = re.compile(r"VideoSDK API \S+ \S+ [^;\n]*; retry \d+ of \d+ in ([0-9.]+) s")
MAY_EXIST = r"the room may or may not have been created.*Set custom_room_id"
REFUSED = r"could not connect to http://127\.0\.0\.1:\d+: connection failed before anything was sent"
SLOW = 1.0
READ_TIMEOUT = 0.3
FOREVER = 10


def create_room(hook: VideoSDKHook) -> Any:
    return hook.create_room()


def create_room_with_custom_id(hook: VideoSDKHook) -> Any:
    return hook.create_room(customRoomId=CUSTOM_ROOM_ID)


def list_rooms(hook: VideoSDKHook) -> Any:
    return list(hook.iter_rooms())


def create_room_async(hook: VideoSDKHook) -> Any:
    return asyncio.run(hook.acreate_room())


def create_room_with_custom_id_async(hook: VideoSDKHook) -> Any:
    return asyncio.run(hook.acreate_room(customRoomId=CUSTOM_ROOM_ID))


def list_rooms_async(hook: VideoSDKHook) -> Any:
    return asyncio.run(hook.arequest("GET", "/v2/rooms"))["data"]


#: The same call made through ``arequest`` (httpx), which must fail and retry alike.
ASYNC_TWIN = {
    create_room: create_room_async,
    create_room_with_custom_id: create_room_with_custom_id_async,
    list_rooms: list_rooms_async,
}
LIST_CALLS = (list_rooms, list_rooms_async)


def http_date(seconds_from_now: float) -> str:
    return formatdate(time.time() + seconds_from_now, usegmt=True)


@dataclass(frozen=True)
class Fault:
    """One fault, the call made through it, and everything that must follow."""

    inject: Callable[[VideoSDKEmulator], object]
    call: Callable[[VideoSDKHook], Any]
    statuses: tuple[int, ...]
    rooms: int
    error: type[Exception] | None = None
    message: str = ""
    #: Sends the hook made, when not every one reached the server.
    attempts: int | None = None
    #: ``wrong_secret`` or ``nothing_listening`` instead of the emulator with the right secret.
    connection: str = "emulator"
    hook: dict[str, Any] = field(default_factory=dict)
    #: Bounds of the logged wait before the (single) retry.
    wait: tuple[float, float] | None = None


def nothing(emulator: VideoSDKEmulator) -> None:
    """Inject no fault."""


def sync_and_async(case: Any) -> list[Any]:
    """Return a case as it is and, as ``async: ...``, the same case through ``arequest``."""
    (fault,) = case.values
    twin = dataclasses.replace(fault, call=ASYNC_TWIN[fault.call])
    return [case, pytest.param(twin, id=f"async: {case.id}")]


RATE_LIMITS = [
    *sync_and_async(
        pytest.param(
            Fault(lambda emu: emu.fail_next(429), create_room, (429, 200), rooms=1),
            id="429 without Retry-After: create retried after a backoff",
        )
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(429, retry_after="1"),
            create_room,
            (429, 200),
            rooms=1,
            hook={"retry_backoff_max": 3},
            wait=(1.0, 1.0),
        ),
        id="429 with Retry-After in seconds: create retried after exactly that wait",
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(429, retry_after=http_date(2)),
            create_room,
            (429, 200),
            rooms=1,
            hook={"retry_backoff_max": 3},
            wait=(0.5, 2.0),
        ),
        id="429 with Retry-After as an HTTP date: create retried at that time",
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(429, retry_after="3600"),
            create_room,
            (429, 200),
            rooms=1,
            hook={"retry_backoff_max": 0.2},
            wait=(0.2, 0.2),
        ),
        id="429 with a Retry-After beyond the cap: the wait is capped",
    ),
    pytest.param(
        Fault(lambda emu: emu.fail_next(429), list_rooms, (429, 200), rooms=0),
        id="429 on a GET: retried",
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(429, times=FOREVER),
            create_room,
            (429, 429, 429, 429),
            rooms=0,
            error=VideoSDKRateLimitError,
            message="HTTP 429",
        ),
        id="429 that persists: three retries, then a rate-limit error",
    ),
]

SERVER_ERRORS = [
    *(
        pytest.param(
            Fault(lambda emu, s=status: emu.fail_next(s), create_room_with_custom_id, (status, 200), rooms=1),
            id=f"{status} on a create with customRoomId: retried",
        )
        for status in (500, 502, 503)
    ),
    *(
        case
        for status in (500, 502, 503)
        for case in sync_and_async(
            pytest.param(
                Fault(
                    lambda emu, s=status: emu.fail_next(s),
                    create_room,
                    (status,),
                    rooms=0,
                    error=VideoSDKAmbiguousCreateError,
                    message=f"HTTP {status}.*{MAY_EXIST}",
                ),
                id=f"{status} on a create without customRoomId: not repeated, the error says why",
            )
        )
    ),
    *sync_and_async(
        pytest.param(
            Fault(lambda emu: emu.fail_next(503), list_rooms, (503, 200), rooms=0),
            id="503 on a GET: retried",
        )
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(503, retry_after="1"),
            list_rooms,
            (503, 200),
            rooms=0,
            hook={"retry_backoff_max": 3},
            wait=(1.0, 1.0),
        ),
        id="503 with Retry-After on a GET: retried after that wait",
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(503, times=FOREVER),
            create_room_with_custom_id,
            (503, 503, 503, 503),
            rooms=0,
            error=VideoSDKServerError,
            message="HTTP 503",
        ),
        id="503 that persists: three retries, then a server error",
    ),
]

LOST_ANSWERS = [
    *sync_and_async(
        pytest.param(
            Fault(
                lambda emu: emu.delay_next(SLOW),
                create_room_with_custom_id,
                (200, 200),
                rooms=1,
                hook={"timeout": READ_TIMEOUT},
            ),
            id="slow answer on a create with customRoomId: retried, the same room comes back",
        )
    ),
    *sync_and_async(
        pytest.param(
            Fault(
                lambda emu: emu.delay_next(SLOW),
                create_room,
                (200,),
                rooms=1,
                error=VideoSDKAmbiguousCreateError,
                message=rf"no answer within the read timeout of {READ_TIMEOUT} s.*{MAY_EXIST}",
                hook={"timeout": READ_TIMEOUT},
            ),
            id="slow answer on a create without customRoomId: not repeated, the room may exist",
        )
    ),
    pytest.param(
        Fault(
            lambda emu: emu.delay_next(SLOW), list_rooms, (200, 200), rooms=0, hook={"timeout": READ_TIMEOUT}
        ),
        id="slow answer on a GET: retried",
    ),
    *sync_and_async(
        pytest.param(
            Fault(lambda emu: emu.drop_after_processing(), create_room_with_custom_id, (0, 200), rooms=1),
            id="connection closed after creating, with customRoomId: retried, the same room comes back",
        )
    ),
    *sync_and_async(
        pytest.param(
            Fault(
                lambda emu: emu.drop_after_processing(),
                create_room,
                (0,),
                rooms=1,
                error=VideoSDKAmbiguousCreateError,
                message=f"the connection failed before an answer arrived.*{MAY_EXIST}",
            ),
            id="connection closed after creating, without customRoomId: not repeated, the room may exist",
        )
    ),
    pytest.param(
        Fault(
            lambda emu: emu.drop_after_processing(times=FOREVER),
            create_room_with_custom_id,
            (0, 0, 0, 0),
            rooms=1,
            error=VideoSDKConnectionError,
            message="the connection failed before an answer arrived",
        ),
        id="connection closed every time, with customRoomId: three retries, still one room",
    ),
]

CLIENT_ERRORS = [
    pytest.param(
        Fault(
            nothing,
            create_room_with_custom_id,
            (401,),
            rooms=0,
            error=VideoSDKAuthError,
            message="authentication failed: check the API key and secret of connection 'videosdk_default'",
            connection="wrong_secret",
        ),
        id="401 from a wrong secret: not retried, names the connection",
    ),
    pytest.param(
        Fault(
            lambda emu: emu.fail_next(400, message="customRoomId is reserved"),
            create_room_with_custom_id,
            (400,),
            rooms=0,
            error=VideoSDKValidationError,
            message="HTTP 400.*customRoomId is reserved",
        ),
        id="400 from a create body the server rejects: not retried, carries the server's message",
    ),
    *(
        pytest.param(
            Fault(
                lambda emu, s=status: emu.fail_next(s, message="refused"),
                create_room_with_custom_id,
                (status,),
                rooms=0,
                error=error,
                message=f"HTTP {status}.*refused",
            ),
            id=f"{status} on a create with customRoomId: never retried",
        )
        for status, error in (
            (402, VideoSDKNotFoundError),
            (403, VideoSDKPermissionError),
            (404, VideoSDKNotFoundError),
            (409, VideoSDKConflictError),
            (422, VideoSDKValidationError),
        )
    ),
]

UNREACHABLE = [
    *sync_and_async(
        pytest.param(
            Fault(
                nothing,
                create_room,
                (),
                rooms=0,
                error=VideoSDKConnectionError,
                # The transport error's name: requests' ConnectionError, or httpx's ConnectError.
                message=rf"{REFUSED} \((ConnectionError|ConnectError)\)$",
                attempts=4,
                connection="nothing_listening",
            ),
            id="connection refused on a create without customRoomId: retried, nothing was sent",
        )
    ),
    pytest.param(
        Fault(
            nothing,
            list_rooms,
            (),
            rooms=0,
            error=VideoSDKConnectionError,
            message=REFUSED,
            attempts=4,
            connection="nothing_listening",
        ),
        id="connection refused on a GET: retried",
    ),
]


@pytest.fixture
def point_connection(
    videosdk_connection: str,
    set_connection: ConnectionSetter,
    videosdk_emulator: VideoSDKEmulator,
    refusing_url: str,
) -> Callable[[str], None]:
    """Repoint the default connection: to the emulator with a wrong secret, or to a closed port."""

    def point(kind: str) -> None:
        if kind == "emulator":
            return
        host, password = {
            "wrong_secret": (videosdk_emulator.url, "not-the-emulator-secret"),
            "nothing_listening": (refusing_url, videosdk_emulator.secret),
        }[kind]
        set_connection(videosdk_connection, host=host, login=videosdk_emulator.api_key, password=password)

    return point


def settled_statuses(emulator: VideoSDKEmulator, expected: int) -> tuple[int, ...]:
    """Wait for slow requests the client gave up on to finish; return the statuses, in arrival order."""
    deadline = time.monotonic() + 10 * SLOW
    while len(emulator.requests) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return tuple(request.status for request in emulator.requests)


@pytest.mark.parametrize("fault", [*RATE_LIMITS, *SERVER_ERRORS, *LOST_ANSWERS, *CLIENT_ERRORS, *UNREACHABLE])
def test_fault(
    fault: Fault,
    hook_factory: Callable[..., VideoSDKHook],
    videosdk_emulator: VideoSDKEmulator,
    point_connection: Callable[[str], None],
    capfd: pytest.CaptureFixture[str],
) -> None:
    point_connection(fault.connection)
    hook = hook_factory(**fault.hook)
    fault.inject(videosdk_emulator)
    capfd.readouterr()

    outcome: Any
    if fault.error is None:
        outcome = fault.call(hook)
    else:
        with pytest.raises(fault.error) as caught:
            fault.call(hook)
        assert type(caught.value) is fault.error
        assert re.search(fault.message, str(caught.value)), str(caught.value)

    waits = [float(wait) for wait in RETRY_LINE.findall(capfd.readouterr().out)]
    assert settled_statuses(videosdk_emulator, len(fault.statuses)) == fault.statuses
    assert 1 + len(waits) == (fault.attempts or len(fault.statuses))
    rooms = videosdk_emulator.rooms
    assert len(rooms) == fault.rooms
    if fault.error is None:
        assert outcome == ([] if fault.call in LIST_CALLS else rooms[0])
    if fault.wait is not None:
        low, high = fault.wait
        assert low <= waits[0] <= high


@pytest.fixture
def local_time_east_of_utc() -> Iterator[None]:
    """Run the test with the process's local time at UTC+05:30, so naive dates would be misread."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "IST-05:30")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.usefixtures("local_time_east_of_utc")
def test_retry_after_date_without_a_zone_is_read_as_gmt(
    hook_factory: Callable[..., VideoSDKHook],
    videosdk_emulator: VideoSDKEmulator,
    capfd: pytest.CaptureFixture[str],
) -> None:
    asctime = time.asctime(time.gmtime(time.time() + 2))  # HTTP's third date form: no zone, always GMT
    videosdk_emulator.fail_next(429, retry_after=asctime)
    capfd.readouterr()

    hook_factory(retry_backoff_max=3).create_room()

    (wait,) = [float(wait) for wait in RETRY_LINE.findall(capfd.readouterr().out)]
    assert 0.5 <= wait <= 2.0
    assert [request.status for request in videosdk_emulator.requests] == [429, 200]


def test_no_retry_starts_when_retry_after_reaches_past_the_deadline(
    hook_factory: Callable[..., VideoSDKHook], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.fail_next(429, retry_after="30")

    with pytest.raises(VideoSDKRateLimitError) as caught:
        hook_factory(retry_backoff_max=60, retry_deadline=5).create_room()

    assert caught.value.retry_after == 30
    assert [request.status for request in videosdk_emulator.requests] == [429]


def test_retry_settings_come_from_the_connection_extra(
    hook_factory: Callable[..., VideoSDKHook],
    videosdk_connection: str,
    videosdk_emulator: VideoSDKEmulator,
    set_connection: ConnectionSetter,
) -> None:
    set_connection(
        videosdk_connection,
        host=videosdk_emulator.url,
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        extra={"max_retries": 1},
    )
    videosdk_emulator.fail_next(503, times=FOREVER)

    with pytest.raises(VideoSDKServerError):
        hook_factory().get_room(CUSTOM_ROOM_ID)

    assert [request.status for request in videosdk_emulator.requests] == [503, 503]


# Airflow's own task retries, on top of the hook's: a DAG run through dag.test().


@pytest.fixture
def hook_without_retries(
    videosdk_connection: str, set_connection: ConnectionSetter, videosdk_emulator: VideoSDKEmulator
) -> None:
    """Replace the default connection with one whose extra turns the hook's own retries off."""
    set_connection(
        videosdk_connection,
        host=videosdk_emulator.url,
        login=videosdk_emulator.api_key,
        password=videosdk_emulator.secret,
        extra={"max_retries": 0},
    )


def tries(dag_id: str, run_id: str, task_id: str) -> int:
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        ti = session.query(TaskInstance).filter_by(dag_id=dag_id, run_id=run_id, task_id=task_id).one()
        return int(ti.try_number)


@pytest.mark.usefixtures("hook_without_retries")
def test_task_retry_after_a_lost_answer_gets_the_same_room_back(
    run_dag: Callable[..., Any], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.drop_after_processing()

    result = run_dag("reliability_idempotent_create")

    assert result.state == "success"
    assert tries(result.dag_id, result.run_id, "create_room") == 2
    assert [request.status for request in videosdk_emulator.requests] == [0, 200]
    (room,) = videosdk_emulator.rooms
    assert room["customRoomId"] == f"reliability-{result.run_id}"
    assert result.xcom("create_room") == room["roomId"]


@pytest.mark.usefixtures("hook_without_retries")
def test_lost_answer_without_custom_room_id_fails_the_task_without_a_task_retry(
    run_dag: Callable[..., Any], videosdk_emulator: VideoSDKEmulator
) -> None:
    videosdk_emulator.drop_after_processing()

    result = run_dag("reliability_create_without_custom_room_id")

    assert result.state == "failed"
    assert result.task_states == {"create_room": "failed"}
    assert tries(result.dag_id, result.run_id, "create_room") == 1
    assert [request.status for request in videosdk_emulator.requests] == [0]
    assert len(videosdk_emulator.rooms) == 1
