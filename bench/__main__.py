"""`python -m bench [names...]`: run each bench/bench_*.py module's run(); a full run writes BENCHMARKS.md."""
from __future__ import annotations

import importlib
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine_facts() -> str:
    """CPU, memory, OS and Python of the machine that produced the numbers."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB RAM, "
    except (OSError, ValueError, IndexError):
        pass
    return (f"- machine: {cpu}, {os.cpu_count()} cores, {mem}{platform.system()} {platform.release()}\n"
            f"- python {platform.python_version()}; run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")


def main(argv: list[str]) -> int:
    """Run the selected (default: all) benchmark modules; sections that fail say so, the rest still run."""
    names = argv or sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    sections, failed = [], 0
    for name in names:
        module_name = name if name.startswith("bench_") else f"bench_{name}"
        started = time.monotonic()
        print(f"running {module_name} ...", file=sys.stderr, flush=True)
        try:
            section = importlib.import_module(f"bench.{module_name}").run()
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' numbers
            failed += 1
            section = f"## {module_name}\n\nFAILED:\n\n```\n{traceback.format_exc()}```\n"
        print(f"  done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        sections.append(section.strip() + "\n")
    text = ("# Benchmarks\n\nRatios measured in one run on one machine (`make bench`); absolute times depend "
            "on the machine, the ratios are what the targets are about.\n\n" + machine_facts() + "\n"
            + "\n".join(sections))
    if not argv:  # only a full run replaces BENCHMARKS.md; `python -m bench backend` just prints
        (ROOT / "BENCHMARKS.md").write_text(text)
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
