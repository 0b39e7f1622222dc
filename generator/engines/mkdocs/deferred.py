"""What `mkdocs serve` makes only when a browser first asks for it.

A policy owner who saves a YAML file waits for the rebuild before the browser reloads the page
they are editing. Most of a rebuild went into what that page does not show: the pages that
list every parameter again (channels, categories, checklists, the audit, the print page) and
the exports. Under `mkdocs serve` those pages are written with their placeholders and the
exports are not made; each is completed when it is first requested, before MkDocs' server
reads it (a page of a few hundred norms takes a fraction of a second). `handbook build` and
`handbook release` make everything, as before.
"""

from __future__ import annotations

import os
import posixpath
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

DEFERRABLE = frozenset({".html", ".json", ".csv", ".xlsx"})
"""The kinds of file a build may leave to be completed: pages, the search index, exports."""

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Deferred:
    """The site files a build left to be completed, each with what completes it.

    A build holds `lock` from its first event to its last, so that a request never completes
    a file of a build under way, nor of one that has just been replaced."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._building = False
        """Whether the builder (one thread: MkDocs runs a build's events in one) holds `lock`."""
        self._work: dict[str, Callable[[], None]] = {}

    def start_build(self) -> None:
        if not self._building:
            self.lock.acquire()
            self._building = True

    def forget(self) -> None:
        """The files of the site being replaced: once the standards are valid and MkDocs is
        about to empty the site folder (a build that fails before leaves the site served,
        whose files can still be completed)."""
        self._work = {}

    def end_build(self) -> None:
        if self._building:
            self._building = False
            self.lock.release()

    def defer(self, target: str, complete: Callable[[], None]) -> None:
        """`complete` makes the site file `target` whole; what was deferred for it before runs
        first (a page that is spliced, then has its download sizes filled in)."""
        key = os.path.normpath(target)
        earlier = self._work.get(key)
        if earlier is None:
            self._work[key] = complete
        else:

            def both() -> None:
                earlier()
                complete()

            self._work[key] = both

    def pending(self) -> int:
        return len(self._work)

    def complete(self, target: str) -> None:
        """Make the site file `target` whole, if it is waiting (and wait for a build under way)."""
        key = os.path.normpath(target)
        with self.lock:
            work = self._work.pop(key, None)
            if work is None:
                return
            try:
                work()
            except Exception as error:  # the server answers; the log says what is missing
                log.error(f"{target} could not be completed: {error}")

    def wrap(self, app: Wsgi, server: LiveReloadServer) -> Wsgi:
        """MkDocs' server app, completing each requested file first (the same mapping of a URL
        to a file as MkDocs' own `LiveReloadServer._serve_request`)."""
        root, mount_path = server.root, server.mount_path

        def completing(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            # Asked even when nothing waits (a build under way may be about to defer this file),
            # but only for the kinds of file that are ever deferred: a stylesheet or a script
            # asked for meanwhile does not wait for the search index to be completed.
            if (path + "/").startswith(mount_path):
                relative = path[len(mount_path) :] + ("index.html" if path.endswith("/") else "")
                target = Path(root, posixpath.normpath("/" + relative).lstrip("/"))
                if target.suffix in DEFERRABLE:
                    _wait_for_build(server)
                    self.complete(str(target))
            return app(environ, start_response)

        return completing


def _wait_for_build(server: LiveReloadServer) -> None:
    """Until the rebuild MkDocs has decided on is done, as MkDocs waits before it serves a
    file: a file completed before the rebuild took `lock` would be of the site it replaces."""
    condition = getattr(server, "_epoch_cond", None)
    if condition is None or not hasattr(server, "_visible_epoch"):
        return
    with condition:
        condition.wait_for(
            lambda: getattr(server, "_visible_epoch", 0) == getattr(server, "_wanted_epoch", 0)
        )
