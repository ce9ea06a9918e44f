"""Fixtures for the webhook tests: real RSA key pairs, the receiver in process on the test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from webhook_kit import KeyPair, Receiver, new_key_pair

from videosdk_provider.webhooks import PublicKeyCache
from videosdk_provider.webhooks.receiver import ReceiverSettings, create_receiver_app
from videosdk_provider.webhooks.store import AssetEventStore, deliveries


@pytest.fixture(scope="session")
def videosdk_keys() -> KeyPair:
    """Return the key pair standing in for VideoSDK's."""
    return new_key_pair()


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    """Return a key pair that is not VideoSDK's."""
    return new_key_pair()


@pytest.fixture
def clean_events(airflow_db: Any) -> None:
    """Start with no VideoSDK asset declared, no asset events and no remembered deliveries."""
    from airflow.models.asset import AssetActive, AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import delete, select

    AssetEventStore().seen("0" * 64)  # creates the deliveries table
    with create_session() as session:
        ids = select(AssetModel.id).where(AssetModel.uri.like("videosdk://%"))
        session.execute(delete(AssetEvent).where(AssetEvent.asset_id.in_(ids)))
        session.execute(delete(AssetActive).where(AssetActive.uri.like("videosdk://%")))
        session.execute(delete(deliveries))


@pytest.fixture
def watch(clean_events: None) -> Callable[[str], None]:
    """Declare an event type's asset as a DAG file would (an active asset), so its events are recorded."""
    from airflow.models.asset import AssetActive, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from videosdk_provider.webhooks import event_asset_name, event_asset_uri

    def declare(event_type: str) -> None:
        name, uri = event_asset_name(event_type), event_asset_uri(event_type)
        with create_session() as session:
            asset = session.scalar(select(AssetModel).where(AssetModel.uri == uri))
            if asset is None:
                asset = AssetModel(name=name, uri=uri, group="videosdk")
                session.add(asset)
                session.flush()
            if session.get(AssetActive, (name, uri)) is None:
                session.add(AssetActive.for_asset(asset))

    return declare


@pytest.fixture
def receiver_settings() -> ReceiverSettings:
    """Limits for in-process tests: a small body limit, a generous rate."""
    return ReceiverSettings(max_body_bytes=64 * 1024, rate_per_second=10_000, burst=10_000)


@pytest.fixture
def receiver(
    clean_events: None, videosdk_keys: KeyPair, receiver_settings: ReceiverSettings
) -> Iterator[Receiver]:
    """Run the receiver app with VideoSDK's key pinned, recording into the test database."""
    from fastapi.testclient import TestClient

    keys = PublicKeyCache(pinned=videosdk_keys.public_pem)
    app = create_receiver_app(keys=lambda: keys, store=AssetEventStore(), settings=receiver_settings)
    with TestClient(app) as client:
        yield Receiver(client, videosdk_keys)
