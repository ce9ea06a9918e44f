"""
Run one example DAG end to end with ``dag.test()`` and print the roomId it created.

Expects the Airflow environment (home, DAGs folder, bundle, ``videosdk_default`` connection) to be
set up by ``scripts/quickstart.sh``. Exits non-zero when the run does not succeed.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dag_id")
    parser.add_argument("room_task_id", help="the task whose return value is the roomId")
    args = parser.parse_args()

    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow 3.1
        from airflow.models.dagbag import DagBag  # type: ignore[no-redef]
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(f"DAG import errors: {bag.import_errors}", file=sys.stderr)
        return 1
    dag_run = bag.get_dag(args.dag_id).test()
    with create_session() as session:
        values = {
            (row.task_id, row.key): XComModel.deserialize_value(row)
            for row in session.query(XComModel).filter_by(dag_id=args.dag_id, run_id=dag_run.run_id)
        }
    print(f"DAG run: {args.dag_id} {dag_run.run_id} finished {dag_run.state}")
    room_id = values.get((args.room_task_id, "return_value"))
    if room_id:
        print(f"roomId: {room_id}")
    invite = values.get(("build_invite", "return_value"))
    if invite:
        print(f"invite: {invite}")
    return 0 if str(dag_run.state) == "success" and room_id else 1


if __name__ == "__main__":
    sys.exit(main())
