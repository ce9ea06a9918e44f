"""The per-client token bucket."""

from __future__ import annotations

import pytest

from videosdk_provider.webhooks.ratelimit import ClientRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_client_may_send_a_burst_then_waits_for_the_rate() -> None:
    clock = Clock()
    limiter = ClientRateLimiter(rate=2, burst=3, clock=clock)
    assert [limiter.allow("1.2.3.4") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("1.2.3.4") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.allow("1.2.3.4") == 0.0


def test_clients_have_their_own_buckets() -> None:
    limiter = ClientRateLimiter(rate=1, burst=1, clock=Clock())
    assert limiter.allow("1.1.1.1") == 0.0
    assert limiter.allow("1.1.1.1") > 0
    assert limiter.allow("2.2.2.2") == 0.0


def test_only_the_most_recent_clients_are_tracked() -> None:
    limiter = ClientRateLimiter(rate=1, burst=1, max_clients=2, clock=Clock())
    for client in ("a", "b", "c"):
        limiter.allow(client)
    assert limiter.allow("a") == 0.0  # forgotten, so a full bucket again
    assert limiter.allow("c") > 0


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (1, 0)])
def test_a_limiter_needs_a_positive_rate_and_burst(rate: float, burst: float) -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        ClientRateLimiter(rate, burst)
