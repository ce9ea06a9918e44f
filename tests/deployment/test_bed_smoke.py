"""
The fast check of the deployment test bed, in the default suite: one example DAG on a real deployment.

It proves that PostgreSQL, the API server, scheduler, DAG processor and LocalExecutor work
together with the provider: a run triggered through the REST API succeeds, its room exists in the
VideoSDK emulator, and the task's XCom went through the real metadata database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.deployment.conftest import Deployment

DAG_ID = "example_videosdk_daily_class"


def test_daily_class_triggered_through_the_rest_api_succeeds(local_deployment: Deployment) -> None:
    run_id = local_deployment.trigger(DAG_ID, {"class_name": "Smoke 101"})

    run = local_deployment.wait_for_runs([(DAG_ID, run_id)], timeout=180)[(DAG_ID, run_id)]

    assert run["state"] == "success", local_deployment.log_tail("scheduler")
    room_id = local_deployment.xcom(DAG_ID, run_id, "create_room")
    created = [room for room in local_deployment.rooms() if room["roomId"] == room_id]
    assert [room["customRoomId"] for room in created] == [f"daily-class-{run['run_after'][:10]}"]
    assert "Smoke 101" in local_deployment.xcom(DAG_ID, run_id, "build_invite")
    stored = local_deployment.sql(
        "SELECT task_id FROM xcom WHERE run_id = %s AND key = 'return_value' ORDER BY task_id", run_id
    )
    assert stored == [("build_invite",), ("create_room",)]
