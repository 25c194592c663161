"""Authoring commands: ``statuspress new`` writes a file from a template, ``statuspress update``
appends a public update to an incident without touching the rest of the file, and
``ack|mitigate|resolve|close`` record its lifecycle moments the same way (:mod:`.lifecycle`).

Both refuse a mistake before writing anything (exit 1, a message naming what is wrong), prove the
result validates by reading it back through the same readers and checks ``statuspress check``
uses, and write atomically (a temporary file in the same folder, fsync, rename).
"""

from __future__ import annotations

from .new import new_file
from .update import update_incident

__all__ = ["new_file", "update_incident"]
