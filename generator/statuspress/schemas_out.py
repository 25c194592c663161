"""Write the JSON Schemas (from :mod:`statuspress.definitions`) to a folder."""

from __future__ import annotations

import json
from pathlib import Path

from .definitions import json_schemas


def schema_texts() -> dict[str, str]:
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        for name, schema in json_schemas().items()
    }


def write_schemas(out: Path) -> list[Path]:
    """Write every schema to ``out``; remove schemas of file kinds that no longer exist."""
    out.mkdir(parents=True, exist_ok=True)
    texts = schema_texts()
    for old in out.glob("*.schema.json"):
        if old.name not in texts:
            old.unlink()
    written = []
    for name, text in texts.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
