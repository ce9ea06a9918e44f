"""
Defaults and limits shared by the hook, the operators and the connection form.

Import-cheap on purpose (no third-party imports): the operator modules and ``get_provider_info``
read it while DAG files are parsed and while Airflow discovers providers.
"""

from __future__ import annotations

DEFAULT_CONN_ID = "videosdk_default"
CONN_TYPE = "videosdk"
DEFAULT_BASE_URL = "https://api.videosdk.live"

#: Seconds to wait for a connection and for an answer.
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
MIN_TIMEOUT = 0.001

#: Lifetime of each signed management token, in seconds; it is re-signed shortly before it expires.
DEFAULT_TOKEN_TTL = 600
MIN_TOKEN_TTL = 2
#: A token is re-signed this many seconds before it expires (as the official Node SDK does), or at
#: half its lifetime when that is shorter.
TOKEN_REFRESH_MARGIN = 60

#: Retries after the first attempt, where a repeat is safe (0 disables retrying).
DEFAULT_MAX_RETRIES = 3
#: First backoff in seconds, doubled on each retry, with jitter.
DEFAULT_RETRY_BACKOFF = 1.0
#: Longest single wait, also the cap on ``Retry-After``.
DEFAULT_RETRY_BACKOFF_MAX = 30.0
#: No retry starts later than this many seconds after the first attempt.
DEFAULT_RETRY_DEADLINE = 120.0

#: HTTP connections a hook keeps alive, for concurrent calls through it.
DEFAULT_POOL_SIZE = 10
#: Items asked for per page by the hook's paged listings.
DEFAULT_PER_PAGE = 20

#: Participant (join) tokens: the lifetime the API reference's examples use at most.
DEFAULT_PARTICIPANT_TOKEN_TTL = 7200
DEFAULT_PARTICIPANT_PERMISSIONS = ("allow_join",)
