"""Fixtures of the Board tests (the helpers live in helpers.py, shared with the browser journey)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .helpers import seat_board


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Papers and PDFs go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def board(reference, admin_user, board_member, board_secretary) -> SimpleNamespace:
    return seat_board(admin_user, board_member, board_secretary)
