"""Fixtures for the report view tests: the invented ferry story (see render_story.py)."""

from __future__ import annotations

import pytest

from accord.models import Report
from render_story import make_report


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def empty_report() -> Report:
    """A story whose cross-checking found nothing yet."""
    return make_report(facts=(), discrepancies=(), quotes=(), timeline=(), unique=(), summary=())
