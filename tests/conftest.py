"""Shared pytest fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from browser import chromium_launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's /usr/bin/chromium (Playwright's own browser builds cannot be downloaded)."""
    return {**browser_type_launch_args, **chromium_launch_args()}
