import pytest

from .factories import make_series as _make_series


@pytest.fixture
def make_series(db):
    return _make_series
