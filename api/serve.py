"""``planner serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from api.settings import Settings, describe, is_loopback


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``serve`` options to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--insecure-local",
        action="store_true",
        help="run without bearer tokens; only allowed on a loopback address",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "environment:\n" + "\n".join(f"  {var:30} {text}" for var, text in describe())


def run(args: argparse.Namespace) -> int:
    """Start the service; returns the exit code (2 for a configuration error)."""
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.insecure_local:
        settings = dataclasses.replace(settings, insecure_local=True)
    if settings.insecure_local and not settings.secure and not is_loopback(args.host):
        print(
            f"error: --insecure-local binds to a loopback address only, not '{args.host}'",
            file=sys.stderr,
        )
        return 2
    if not settings.secure and not settings.insecure_local:
        print(
            "error: no API tokens: set PLANNER_API_TOKENS (comma-separated), "
            "or use --insecure-local on a loopback address",
            file=sys.stderr,
        )
        return 2
    import uvicorn

    from api.main import create_app

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    return 0
