"""``python -m statuspress``: the same command as the ``statuspress`` script."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    main()
