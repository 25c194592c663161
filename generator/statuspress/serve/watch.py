"""The file watcher of ``statuspress serve``: what it watches, which events it ignores.

- **Watching.** watchdog watches ``content/``, the theme (built-in and ``theme_dir``), the
  ``docs_dir`` and ``mkdocs.yml``; a burst of events (an editor's save, a ``git checkout``)
  triggers one rebuild after 200 ms without events.
- **What changed.** The files named by the events are passed to the builder
  (:meth:`~statuspress.serve.Builder.note_changes`), whose next rebuild looks up only their
  stamps; a folder created, moved or removed, or events lost, make it look at every file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from .builder import Builder

READ_ONLY_EVENTS = ("opened", "closed_no_write")
FILE_EVENTS = ("created", "modified", "deleted", "moved", "closed")
"""Events that name every file they change (a folder's own "modified" adds nothing)."""


def _ignored(path: str, out: Path) -> bool:
    name = os.path.basename(path)
    if (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name == "4913"
    ):
        return True  # editor swap and backup files, our own atomic-write temp files
    return Path(path).resolve().is_relative_to(out.resolve())


def start_watching(builder: Builder, dirty: threading.Event) -> Any:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    out = builder.out
    mkdocs_yml = (builder.content_dir.parent / "mkdocs.yml").resolve()

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in READ_ONLY_EVENTS:
                return  # every build reads the theme and the content
            raws = (event.src_path, getattr(event, "dest_path", ""))
            # Told before the rebuild is triggered, so that it looks at these files again.
            if event.event_type not in FILE_EVENTS:
                builder.note_changes(None)  # events lost: every file may have changed
            elif not event.is_directory:
                builder.note_changes(os.fsdecode(raw) for raw in raws if raw)
            elif event.event_type != "modified":
                builder.note_changes(None)  # a folder created, moved or removed
            for raw in raws:
                path = os.fsdecode(raw) if raw else ""
                if path and not _ignored(path, out):
                    dirty.set()
                    return

    class ConfigChanged(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in READ_ONLY_EVENTS:
                return  # every internal build reads mkdocs.yml
            wanted = {mkdocs_yml} | {p.resolve() for p in builder.watch_paths}
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                # mkdocs.yml, or a theme or docs folder site.yaml names appearing only now.
                if raw and Path(os.fsdecode(raw)).resolve() in wanted:
                    dirty.set()

    from ..public.templating import theme_root

    folders = {builder.content_dir, theme_root(), builder.content_dir.parent / "theme"}
    folders |= builder.watch_paths
    changed, config = Changed(), ConfigChanged()
    seen: set[Path] = set()
    try:
        observer: Any = Observer()
        _schedule(observer, changed, folders, seen)
        observer.schedule(config, str(mkdocs_yml.parent), recursive=False)
        builder.start_noting()
        observer.start()
    except OSError:  # inotify limits reached: poll instead
        observer = PollingObserver(timeout=0.5)
        seen.clear()
        _schedule(observer, changed, folders, seen)
        observer.schedule(config, str(mkdocs_yml.parent), recursive=False)
        builder.start_noting()
        observer.start()
    lock = threading.Lock()

    def watch_new_paths() -> None:
        # A theme_dir or docs_dir added to site.yaml while serving: watch it from now on.
        with lock:
            try:
                _schedule(observer, changed, set(builder.watch_paths), seen)
            except OSError as exc:
                builder.log(f"warning: cannot watch {sorted(builder.watch_paths)}: {exc}")

    builder.on_watch_paths = watch_new_paths
    watch_new_paths()  # site.yaml may have changed between the first build and now
    return observer


def _schedule(observer: Any, changed: Any, folders: set[Path], seen: set[Path]) -> None:
    for folder in sorted(folders):
        real = folder.resolve()
        if real.is_dir() and real not in seen:
            seen.add(real)
            observer.schedule(changed, str(real), recursive=True)
