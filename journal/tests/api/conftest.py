"""What the API's tests share: no rate limit unless a test sets one (all come from one address)."""

import pytest


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.API_RATE = None
