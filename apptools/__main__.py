"""Command line: `python -m apptools validate [DIR] | package --backend-host HOST [--allow-loopback] |
zcli-server`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from apptools.package import ROOT, UsageError, is_source_layout, package, validate_source
from apptools.validate import validate
from apptools.zcli import serve


def run_validate(folder: Path | None) -> int:
    """Validate folder as a ZAF app, or with None the repository's sources; print problems or 'valid'."""
    if folder is not None and not folder.is_dir():
        print(f"apptools: {folder} is not a directory", file=sys.stderr)
        return 2
    if folder is None or is_source_layout(folder):
        source = ROOT if folder is None else folder
        problems, name = validate_source(source), f"{source} (source layout)"
    else:
        problems, name = validate(folder), str(folder)
    for problem in problems:
        print(problem)
    if problems and folder is not None and is_source_layout(folder.resolve().parent):
        print(f"apptools: {folder} is the sources' asset folder, not an app folder: run "
              "`python -m apptools validate` (no folder) to validate the sources", file=sys.stderr)
    if not problems:
        print(f"{name}: valid")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when valid/packaged, 1 listing every problem, 2 on usage errors."""
    parser = argparse.ArgumentParser(prog="python -m apptools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="validate this repository's app sources, or a ZAF app folder")
    check.add_argument("dir", type=Path, nargs="?", help="a ZAF app folder (manifest.json, assets/, "
                       "translations/) or a source layout (manifest.json, zendesk-app/); default: this "
                       "repository's sources, assembled as `package` does")
    pack = sub.add_parser("package", help="validate and assemble dist/app and the zip")
    pack.add_argument("--backend-host", required=True, help="host name put in domainWhitelist")
    pack.add_argument("--out", type=Path, default=Path("dist"))
    pack.add_argument("--allow-loopback", action="store_true", help="accept localhost/127.0.0.1 as the "
                      "backend host (a build for zcli apps:server only: Zendesk could not reach it)")
    dev = sub.add_parser("zcli-server", help="write zcli.apps.config.json, then run zcli apps:server")
    dev.add_argument("--app", type=Path, default=Path("dist/app"))
    dev.add_argument("--port", type=int, default=4567)
    dev.add_argument("--bind", default="localhost")
    args = parser.parse_args(argv)
    if args.command == "zcli-server":
        if not (args.app / "manifest.json").is_file():
            print(f"apptools: {args.app} is not a packaged app: run make package first", file=sys.stderr)
            return 2
        return serve(args.app, args.port, args.bind)
    if args.command == "validate":
        return run_validate(args.dir)
    try:
        problems, zip_path = package(args.backend_host, args.out, allow_loopback=args.allow_loopback)
    except UsageError as exc:
        print(f"apptools: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{args.out / 'app'}\n{zip_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
