"""
Secret audit: neither the connection's secret nor any token signed with it shows anywhere.

DAGs of ``tests/dags/`` run through success, hook and task retries, an ambiguous failure and a
401 against an emulator with a distinctive secret. Then everything a user or an operator can see
is searched: the task logs (``dag.test()`` runs tasks in-process, so they go to stdout and stderr,
not to files; any file under ``AIRFLOW_HOME/logs`` is searched too), every XCom row and rendered
template field of the run, the metadata database files, and, for direct hook calls, the
exceptions (text, repr, attributes and the whole traceback chain) and the reprs of the hook, its
settings and its HTTP session. The needles are the secrets and every token the emulator received
or the hook holds, whole and by their signature alone.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from videosdk_provider.emulator import VideoSDKEmulator
from videosdk_provider.hooks.videosdk import VideoSDKHook

AUDIT_API_KEY = "audit-api-key"
AUDIT_SECRET = "audit-secret-3f9c0e7a1b5d4c2e8f6a9b0d1c3e5f7a"
WRONG_SECRET = "wrong-secret-8e2d4f6a0c1b3d5e7f9a2c4e6b8d0f1a"
FAST_RETRIES = {"retry_backoff": 0.01, "retry_backoff_max": 0.05}
FOREVER = 10


@pytest.fixture(scope="module")
def audit_server() -> Iterator[VideoSDKEmulator]:
    """Return an emulator of its own, whose secret is distinctive enough to search for."""
    with VideoSDKEmulator(api_key=AUDIT_API_KEY, secret=AUDIT_SECRET) as emulator:
        yield emulator


@pytest.fixture
def audit_emulator(audit_server: VideoSDKEmulator) -> VideoSDKEmulator:
    audit_server.reset()
    return audit_server


@pytest.fixture
def point_default_connection(
    videosdk_connection: str, set_connection: Callable[..., str], audit_emulator: VideoSDKEmulator
) -> Callable[..., None]:
    """Replace the default connection with one to the audit emulator (right or wrong secret, extras)."""

    def point(*, host: str | None = None, secret: str = AUDIT_SECRET, **extra: Any) -> None:
        set_connection(
            videosdk_connection,
            host=host or audit_emulator.url,
            login=AUDIT_API_KEY,
            password=secret,
            extra=FAST_RETRIES | extra,
        )

    return point


def needles(emulator: VideoSDKEmulator, *hooks: VideoSDKHook) -> dict[str, str]:
    """Name every secret to look for: the two secrets, each signed token, and each token's signature."""
    tokens = {request.headers["authorization"] for request in emulator.requests}
    tokens.update(hook.get_token() for hook in hooks)
    assert tokens, "no token was signed: the audit would search for nothing"
    found = {"the secret": AUDIT_SECRET, "the wrong secret": WRONG_SECRET}
    for number, token in enumerate(sorted(tokens), start=1):
        found[f"token {number}"] = token
        found[f"signature of token {number}"] = token.rsplit(".", 1)[1]
    return found


def leaks(secrets: dict[str, str], surfaces: dict[str, str | bytes]) -> list[str]:
    """Return "<secret> in <surface>" for every secret found on any surface."""
    return [
        f"{name} in {surface}"
        for surface, text in surfaces.items()
        for name, secret in secrets.items()
        if (secret.encode() if isinstance(text, bytes) else secret) in text
    ]


def test_the_search_finds_a_token_where_one_is_known_to_be(
    point_default_connection: Callable[..., None],
    hook_factory: Callable[..., VideoSDKHook],
    audit_emulator: VideoSDKEmulator,
) -> None:
    point_default_connection()
    hook = hook_factory()
    hook.create_room()

    secrets = needles(audit_emulator, hook)

    assert leaks(secrets, {"the emulator's request log": repr(audit_emulator.requests)}) == [
        "token 1 in the emulator's request log",
        "signature of token 1 in the emulator's request log",
    ]


# DAG runs.


@dataclass(frozen=True)
class Run:
    """A DAG run down one path: its faults, its connection, and how it ends."""

    dag_id: str
    state: str
    #: What the emulator answered each request with (0: connection closed without an answer).
    statuses: tuple[int, ...]
    inject: Callable[[VideoSDKEmulator], object] = lambda emulator: None
    secret: str = AUDIT_SECRET
    extra: dict[str, Any] = field(default_factory=dict)
    #: Text the task log must show, proving the log was captured.
    shows: str = "[DAG TEST] starting task_id=create_room"


def rate_limit_then_server_error_then_lost_answer(emulator: VideoSDKEmulator) -> None:
    emulator.fail_next(429, retry_after="0")
    emulator.fail_next(503)
    emulator.drop_after_processing()


RUNS = [
    pytest.param(
        Run("reliability_idempotent_create", "success", (200,), shows="Created VideoSDK room"), id="success"
    ),
    pytest.param(
        Run(
            "reliability_idempotent_create",
            "success",
            (429, 503, 0, 200),
            rate_limit_then_server_error_then_lost_answer,
            extra={"max_retries": 2},
            shows="retry 2 of 2",
        ),
        id="hook retries, then a task retry",
    ),
    pytest.param(
        Run(
            "reliability_create_without_custom_room_id",
            "failed",
            (0,),
            lambda emulator: emulator.drop_after_processing(),
            shows="VideoSDKAmbiguousCreateError",
        ),
        id="failure: lost answer to a create without customRoomId",
    ),
    pytest.param(
        Run(
            "reliability_idempotent_create",
            "failed",
            (401, 401),
            secret=WRONG_SECRET,
            shows="VideoSDKAuthError",
        ),
        id="401 from a wrong secret",
    ),
]


def stored_for_run(dag_id: str, run_id: str) -> dict[str, str]:
    """Return every XCom row and rendered template field of one DAG run, as text."""
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        xcoms = session.query(XComModel).filter_by(dag_id=dag_id, run_id=run_id).all()
        rendered = session.query(RenderedTaskInstanceFields).filter_by(dag_id=dag_id, run_id=run_id).all()
        return {
            "XCom": "\n".join(f"{row.task_id} {row.key} {row.value!r}" for row in xcoms),
            "rendered template fields": "\n".join(
                f"{row.task_id} {row.rendered_fields!r}" for row in rendered
            ),
        }


def files_under(folder: Path, pattern: str) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.glob(pattern) if path.is_file()}


@pytest.mark.parametrize("run", RUNS)
def test_dag_run_shows_no_secret_and_no_token(
    run: Run,
    point_default_connection: Callable[..., None],
    run_dag: Callable[..., Any],
    audit_emulator: VideoSDKEmulator,
    airflow_db: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    point_default_connection(secret=run.secret, **run.extra)
    run.inject(audit_emulator)

    result = run_dag(run.dag_id)

    assert result.state == run.state
    assert tuple(request.status for request in audit_emulator.requests) == run.statuses
    captured = capfd.readouterr()
    assert run.shows in captured.out + captured.err
    stored = stored_for_run(result.dag_id, result.run_id)
    assert "create_room" in stored["rendered template fields"]
    if run.state == "success":
        (room,) = audit_emulator.rooms
        assert room["roomId"] in stored["XCom"]
    surfaces: dict[str, str | bytes] = {
        "task logs on stdout": captured.out,
        "task logs on stderr": captured.err,
        **stored,
        **files_under(airflow_db / "logs", "**/*"),
        **files_under(airflow_db, "airflow.db*"),
    }
    assert leaks(needles(audit_emulator), surfaces) == []


# Direct hook calls: the errors users catch and log, and the objects they might print.


@dataclass(frozen=True)
class Call:
    """A hook call down one path."""

    call: Callable[[VideoSDKHook], object]
    inject: Callable[[VideoSDKEmulator], object] = lambda emulator: None
    secret: str = AUDIT_SECRET
    refused: bool = False
    hook: dict[str, Any] = field(default_factory=dict)
    #: Requests to wait for: slow ones finish on the emulator after the hook gave up on them.
    settle: int = 0


CALLS = [
    pytest.param(Call(lambda hook: hook.create_room()), id="success"),
    pytest.param(Call(lambda hook: hook.create_room(), secret=WRONG_SECRET), id="401 from a wrong secret"),
    pytest.param(
        Call(lambda hook: hook.test_connection(), secret=WRONG_SECRET),
        id="connection test with a wrong secret",
    ),
    pytest.param(
        Call(lambda hook: hook.create_room(), lambda emulator: emulator.fail_next(500, message="boom")),
        id="500 on a create",
    ),
    pytest.param(
        Call(lambda hook: hook.create_room(), lambda emulator: emulator.fail_next(429, times=FOREVER)),
        id="429 until the retries are spent",
    ),
    pytest.param(
        Call(lambda hook: hook.create_room(), lambda emulator: emulator.drop_after_processing()),
        id="lost answer to a create",
    ),
    pytest.param(
        Call(
            lambda hook: list(hook.iter_rooms()),
            lambda emulator: emulator.delay_next(0.5, times=2),
            hook={"timeout": 0.2, "max_retries": 1},
            settle=2,
        ),
        id="read timeouts until the retries are spent",
    ),
    pytest.param(Call(lambda hook: hook.create_room(), refused=True), id="connection refused"),
]


@pytest.mark.parametrize("call", CALLS)
def test_hook_errors_and_reprs_show_no_secret_and_no_token(
    call: Call,
    point_default_connection: Callable[..., None],
    hook_factory: Callable[..., VideoSDKHook],
    audit_emulator: VideoSDKEmulator,
    refusing_url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    point_default_connection(secret=call.secret, host=refusing_url if call.refused else None)
    hook = hook_factory(**call.hook)
    call.inject(audit_emulator)

    surfaces: dict[str, str | bytes] = {}
    try:
        surfaces["return value"] = repr(call.call(hook))
    except Exception as error:
        surfaces.update(
            {
                "exception text": str(error),
                "exception repr": repr(error),
                "exception attributes": repr(vars(error)),
                "traceback with its causes": "".join(traceback.format_exception(error)),
            }
        )
    deadline = time.monotonic() + 5
    while len(audit_emulator.requests) < call.settle and time.monotonic() < deadline:
        time.sleep(0.02)
    captured = capfd.readouterr()
    surfaces.update(
        {
            "hook repr": repr(hook),
            "hook str": str(hook),
            "settings repr": repr(hook.settings),
            "session repr": repr(hook.session),
            "session headers": repr(hook.session.headers),
            "logs on stdout": captured.out,
            "logs on stderr": captured.err,
        }
    )
    assert leaks(needles(audit_emulator, hook), surfaces) == []
