"""
:class:`VideoSDKHook`: the VideoSDK REST API for Airflow, one endpoint class per API resource.

Transport, authentication, retries and errors live in :mod:`videosdk_provider.hooks.core`; each
resource module adds its endpoints, and this hook combines them.
"""

from __future__ import annotations

from videosdk_provider.exceptions import VideoSDKAuthError
from videosdk_provider.hooks.core import auth_failure
from videosdk_provider.hooks.rooms import RoomsHookMixin
from videosdk_provider.hooks.sessions import SessionsHookMixin


class VideoSDKHook(RoomsHookMixin, SessionsHookMixin):
    """
    Talk to the VideoSDK REST API with a connection's API key and secret.

    The hook signs a short-lived management JWT (HS256) itself, caches it and re-signs it shortly
    before it expires, and sends it bare in ``Authorization``. Every call has a finite timeout; 429
    is retried for any request (honouring ``Retry-After``), 5xx and lost answers only where a repeat
    is safe. Failures raise :class:`~videosdk_provider.exceptions.VideoSDKError` subclasses.
    Arguments override the connection's extras, which override the defaults; see
    :class:`~videosdk_provider.hooks.core.VideoSDKBaseHook` for them.
    """

    def test_connection(self) -> tuple[bool, str]:
        """Check the credentials with one cheap read-only call (the UI's Test button)."""
        try:
            next(self.iter_rooms(per_page=1), None)
        except VideoSDKAuthError as error:
            # The UI tests a throwaway copy of the connection under a random id: naming it would confuse.
            return False, auth_failure(error.server_message)
        except Exception as error:
            return False, str(error)
        return True, f"Connection successfully tested: the VideoSDK API at {self.base_url} accepted the key"
