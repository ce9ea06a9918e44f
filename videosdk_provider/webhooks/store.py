"""
Record a verified webhook as an Airflow asset event, once per body, in the metadata database.

Runs inside Airflow's API server, which owns the metadata database. A delivery is recorded in one
transaction with a row of ``videosdk_webhook_delivery`` keyed by the SHA-256 of the raw body: the
primary key makes a second delivery of the same body fail to insert, whichever API server worker
or process receives it, so it records no second event. The table is created on first use.
"""

from __future__ import annotations

import datetime
import enum
import logging
import random
import threading
import time
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from videosdk_provider.utils.urls import without_signed_urls
from videosdk_provider.webhooks.assets import event_asset_name, event_asset_uri
from videosdk_provider.webhooks.events import WebhookEvent

log = logging.getLogger(__name__)

#: Deliveries are remembered this long; the same body after that is recorded again.
DEFAULT_RETENTION = datetime.timedelta(days=7)
#: Old rows are deleted at most this often per process.
_PRUNE_EVERY = datetime.timedelta(hours=1)
#: Tries of a write that meets an operational database error, and the backoff step (s), jittered
#: so that concurrent writers do not meet again.
_WRITE_ATTEMPTS = 5
_WRITE_BACKOFF = 0.1

_metadata = MetaData()
deliveries = Table(
    "videosdk_webhook_delivery",
    _metadata,
    Column("body_sha256", String(64), primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
)


class Outcome(enum.Enum):
    """What became of a verified delivery."""

    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNWATCHED = "unwatched"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class AssetEventStore:
    """
    Record webhook events as asset events of :func:`~videosdk_provider.webhooks.videosdk_event_asset`.

    An event type whose asset no DAG declares (no active asset) is not recorded: :attr:`Outcome.UNWATCHED`.
    Database errors propagate, so that the receiver answers 5xx and VideoSDK delivers again.
    """

    def __init__(self, retention: datetime.timedelta = DEFAULT_RETENTION) -> None:
        self.retention = retention
        self._lock = threading.Lock()
        self._table_ready = False
        self._pruned_at: datetime.datetime | None = None

    def _ensure_table(self) -> None:
        if self._table_ready:
            return
        from airflow import settings

        with self._lock:
            if not self._table_ready:
                bind = settings.engine
                if bind is None:
                    raise RuntimeError("Airflow's metadata database is not configured in this process")
                try:
                    deliveries.create(bind=bind, checkfirst=True)
                except (OperationalError, ProgrammingError):
                    # Another worker created it between the check and the CREATE: fine if it is there now.
                    deliveries.create(bind=bind, checkfirst=True)
                self._table_ready = True

    def _prune(self, session: Any, now: datetime.datetime) -> bool:
        """Delete digests past the retention, at most every ``_PRUNE_EVERY``; whether it did."""
        if self._pruned_at is not None and now - self._pruned_at < _PRUNE_EVERY:
            return False
        session.execute(delete(deliveries).where(deliveries.c.received_at < now - self.retention))
        return True

    def record(self, event: WebhookEvent, body_sha256: str) -> Outcome:
        """
        Record ``event`` unless this body was recorded before or no DAG declares its asset.

        The event's ``data`` becomes the asset event's ``extra``, shown in the UI: every ``fileUrl``
        in it loses its query (a pre-signing signature) first.

        An operational database error (a lost connection; SQLite locked, busy, or failing to open a
        connection beside concurrent writers) rolls the whole transaction back, and the body's
        primary key makes a repeat safe, so the write is tried again a few times before the error
        reaches the receiver, which then answers 5xx.
        """
        attempt = 1
        while True:
            try:
                return self._record(event, body_sha256)
            except OperationalError:
                if attempt >= _WRITE_ATTEMPTS:
                    raise
                time.sleep(_WRITE_BACKOFF * attempt * random.uniform(0.5, 1.5))
                attempt += 1

    def _record(self, event: WebhookEvent, body_sha256: str) -> Outcome:
        from airflow.assets.manager import asset_manager
        from airflow.models.asset import AssetModel
        from airflow.utils.session import create_session

        name, uri = event_asset_name(event.event_type), event_asset_uri(event.event_type)
        self._ensure_table()
        try:
            with create_session() as session:
                asset = session.scalar(
                    select(AssetModel).where(AssetModel.name == name, AssetModel.uri == uri)
                )
                if asset is None or asset.active is None:
                    return Outcome.UNWATCHED
                now = _now()
                pruned = self._prune(session, now)
                session.execute(
                    insert(deliveries).values(
                        body_sha256=body_sha256, event_type=event.event_type, received_at=now
                    )
                )
                session.flush()
                recorded = asset_manager.register_asset_change(
                    asset=asset, extra=without_signed_urls(event.data), session=session
                )
                if recorded is None:
                    raise RuntimeError(f"Airflow did not record an event for asset {uri}")
        except IntegrityError:
            if self.seen(body_sha256):
                return Outcome.DUPLICATE
            raise
        if pruned:  # committed: the next prune is due only after _PRUNE_EVERY
            self._pruned_at = now
        return Outcome.RECORDED

    def seen(self, body_sha256: str) -> bool:
        """Whether a delivery with this body digest was recorded (within the retention)."""
        from airflow.utils.session import create_session

        self._ensure_table()
        with create_session() as session:
            found = session.scalar(
                select(deliveries.c.body_sha256).where(deliveries.c.body_sha256 == body_sha256)
            )
            return found is not None
