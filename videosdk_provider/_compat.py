"""
Names whose import path differs between the Airflow 3 minors the provider supports.

Airflow 3.1 (Task SDK 1.1) does not export these exceptions from ``airflow.sdk.exceptions`` yet,
nor ``conf`` from ``airflow.sdk.configuration``; from 3.2 on that is their home and the old
``airflow.exceptions`` / ``airflow.configuration`` paths warn. Import them from here.
"""

from __future__ import annotations

try:
    from airflow.sdk.exceptions import (
        AirflowFailException,
        AirflowNotFoundException,
        AirflowSensorTimeout,
        AirflowSkipException,
    )
except ImportError:  # Airflow 3.1
    from airflow.exceptions import (  # type: ignore[no-redef,attr-defined,unused-ignore]
        AirflowFailException,
        AirflowNotFoundException,
        AirflowSensorTimeout,
        AirflowSkipException,
    )

try:
    from airflow.sdk.configuration import conf
except ImportError:  # Airflow 3.1
    from airflow.configuration import conf  # type: ignore[no-redef,unused-ignore]

__all__ = [
    "AirflowFailException",
    "AirflowNotFoundException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "conf",
]
