"""The stand-in's clock: while it is asked, its history is rebuilt up to the present every few minutes."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sandbox.config import ROOT
from sandbox.zendesk import store

log = logging.getLogger("sandbox")
LIVE_NAME = "zendesk-live.db"  # beside zendesk.db, which stays as generated for other sandboxes and tests
REBUILD_TIMEOUT_S = 300


class Advancer:
    """Serves data_dir/zendesk-live.db and rebuilds it through the current moment at most every
    interval_s, in a child process that a request starts: an idle sandbox rebuilds nothing.

    Within one ISO week a rebuild keeps the past as it was (same ids, same times) and adds the
    tickets created since, with every lifecycle moved on to now; in a new week the history is a new
    year ending in that week, as a restarted sandbox's would be."""

    def __init__(self, data_dir: Path, interval_s: float, clock: Callable[[], float] = time.time):
        self.data_dir, self.interval_s, self.clock = data_dir, interval_s, clock
        self.path = data_dir / LIVE_NAME
        self.rebuilds = 0  # completed, for tests
        self._lock = threading.Lock()
        self._running: threading.Thread | None = None
        self._built_at = float("-inf")

    def start(self) -> Path:
        """The path to serve: the latest history at once, brought up to now in the background when
        it is older than interval_s."""
        remove_stale_temps(self.data_dir)
        generated = self.data_dir / store.DB_NAME
        # A live file from an earlier week or generator is replaced before it is served. Without
        # zendesk.db there is nothing to serve yet: the API answers 503 until a rebuild succeeds.
        current = store.read_meta(generated).get("anchor") if generated.exists() else None
        if current is not None and store.read_meta(self.path).get("anchor") != current:
            temp = store.temp_path(self.data_dir)
            try:
                shutil.copyfile(generated, temp)
                os.replace(temp, self.path)
            finally:
                temp.unlink(missing_ok=True)
        # The history the served file reaches counts as built then: a restart within interval_s of
        # the last rebuild (or of generation) serves it as it is instead of rebuilding at once.
        reached = store.read_meta(self.path).get("generated_at") if current is not None else None
        if reached is not None:
            self._built_at = float(reached)
        self.poke()
        return self.path

    @property
    def rebuilding(self) -> bool:
        """True while a rebuild runs."""
        with self._lock:
            return self._running is not None

    def poke(self) -> threading.Thread | None:
        """Start a rebuild when the served history is older than interval_s and none is running;
        the thread started, if any."""
        with self._lock:
            if self._running is not None or self.clock() - self._built_at < self.interval_s:
                return None
            self._running = threading.Thread(target=self._rebuild, name="zendesk-advance", daemon=True)
            self._running.start()
            return self._running

    def _rebuild(self) -> None:
        moment = self.clock()
        try:
            meta = store.read_meta(self.data_dir / store.DB_NAME)
            # The demo tickets keep the age they had when zendesk.db was generated, as tickets do.
            seed, demo_at = int(meta["seed"]), int(meta["generated_at"])
            # In a child process: seconds of numpy and SQLite work in this one would hold the GIL
            # against the stand-ins' request threads, and a child finishes (and cleans up) its file
            # even when this sandbox is stopped meanwhile.
            args = [str(self.data_dir), str(seed), str(moment), str(demo_at)]
            subprocess.run([sys.executable, "-m", "sandbox.zendesk.advance", *args], check=True, cwd=ROOT,
                           timeout=REBUILD_TIMEOUT_S, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            self.rebuilds += 1
            log.info("zendesk history advanced to now")
        except (KeyError, ValueError, OSError, subprocess.SubprocessError) as exc:
            log.warning("zendesk history not advanced: %s", type(exc).__name__)  # retried after interval_s
        finally:
            with self._lock:
                self._built_at, self._running = moment, None


def remove_stale_temps(data_dir: Path) -> list[Path]:
    """Delete the half-written databases of rebuilds that were killed midway; the files removed."""
    removed = []
    for temp in data_dir.glob(store.TEMP_GLOB):
        pid = temp.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def main(argv: list[str]) -> None:
    """`python -m sandbox.zendesk.advance DATA_DIR SEED MOMENT DEMO_AT`: write DATA_DIR/zendesk-live.db."""
    from sandbox.zendesk import generate

    data_dir, seed, moment, demo_at = Path(argv[0]), int(argv[1]), float(argv[2]), float(argv[3])
    generate(data_dir, seed, force=True, now=moment, name=LIVE_NAME, demo_at=demo_at)


if __name__ == "__main__":
    main(sys.argv[1:])
