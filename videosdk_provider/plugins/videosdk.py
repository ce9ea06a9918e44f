"""The provider's Airflow plugin: the VideoSDK webhook receiver, mounted in the API server."""

from __future__ import annotations

from typing import Any

from airflow.plugins_manager import AirflowPlugin

#: Where the receiver is mounted: deliveries go to ``<api server>/videosdk/webhooks``.
URL_PREFIX = "/videosdk"


class LazyReceiverApp:
    """
    An ASGI app that builds the webhook receiver on its first request.

    Every Airflow component loads plugins; only the API server serves them. Building the FastAPI
    app (and importing it) on first use keeps the scheduler, workers and DAG parsing free of it.
    """

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            from videosdk_provider.webhooks.receiver import create_app_from_config

            self._app = create_app_from_config()
        await self._app(scope, receive, send)


class VideoSDKPlugin(AirflowPlugin):
    """Receives VideoSDK webhooks at ``/videosdk/webhooks`` and turns them into asset events."""

    name = "videosdk"
    fastapi_apps = [{"app": LazyReceiverApp(), "url_prefix": URL_PREFIX, "name": "VideoSDK webhook receiver"}]
