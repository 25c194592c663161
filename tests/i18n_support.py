"""The small fixture site in other languages, for the translation tests and goldens.

``localised(dest, **settings)`` copies tests/fixtures/small/content to ``dest`` and sets
site.yaml keys (``language: de``, ``languages: [en, de, ar]``, ...) by rewriting its lines, so
the golden pages of every language come from the same content as the English golden.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

SMALL = Path(__file__).resolve().parent / "fixtures" / "small" / "content"


def localised(dest: Path, **settings: object) -> Path:
    """A copy of the small fixture's content under ``dest`` with site.yaml ``settings``."""
    content = dest / "content"
    shutil.copytree(SMALL, content)
    site = content / "site.yaml"
    lines = [
        line
        for line in site.read_text(encoding="utf-8").splitlines()
        if line.split(":", 1)[0] not in settings
    ]
    lines += [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    site.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return content
