"""Command line of the sandbox: `python -m sandbox generate|serve`."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from sandbox import config
from sandbox.internal.generate import ensure


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run generate or serve."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the deterministic demo data")
    gen.add_argument("--data", type=Path, default=config.DEFAULT_DATA_DIR, help="data directory")
    gen.add_argument("--force", action="store_true", help="regenerate even if current")
    srv = commands.add_parser("serve", help="generate if absent, then serve everything on one port")
    srv.add_argument("--host", default=config.DEFAULT_HOST)
    srv.add_argument("--port", type=int, default=config.DEFAULT_PORT)
    srv.add_argument("--data", type=Path, default=config.DEFAULT_DATA_DIR, help="data directory")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stderr
    )
    settings = config.load()
    started = time.monotonic()
    generated = ensure(args.data, settings.seed, force=getattr(args, "force", False))
    if generated:
        logging.getLogger("sandbox").info("demo data generated in %.1f s", time.monotonic() - started)
    if args.command == "serve":
        from sandbox.server import serve

        serve(args.host, args.port, args.data, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
