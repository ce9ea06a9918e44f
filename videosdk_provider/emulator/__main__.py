"""Command line: ``python -m videosdk_provider.emulator --port 8085`` serves until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from videosdk_provider.emulator.server import DEFAULT_API_KEY, DEFAULT_SECRET, VideoSDKEmulator


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m videosdk_provider.emulator", description="Serve the local VideoSDK API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8085, help="port to bind; 0 picks a free one (default 8085)"
    )
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="API key tokens must carry")
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="secret tokens must be signed with")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument(
        "--minute-seconds", type=float, default=60.0, help="real seconds per API minute for autoCloseConfig"
    )
    parser.add_argument(
        "--webhook-retries", type=int, default=3, help="retries of a failed webhook delivery (default 3)"
    )
    parser.add_argument(
        "--webhook-retry-delay", type=float, default=1.0, help="seconds between webhook attempts (default 1)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until SIGINT or SIGTERM; returns the exit code."""
    args = build_parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    emulator = VideoSDKEmulator(
        api_key=args.api_key,
        secret=args.secret,
        host=args.host,
        port=args.port,
        latency=args.latency,
        minute_seconds=args.minute_seconds,
        webhook_retries=args.webhook_retries,
        webhook_retry_delay=args.webhook_retry_delay,
    )
    with emulator:
        print(f"VideoSDK emulator listening on {emulator.url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
