from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from nrm.authorities.tokens import token_create


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Each test starts with no duplicate checks counted (the limits live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """A client for the API as a given official: api(user).get(...)."""

    def as_user(user) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_create(user=user)}"})

    return as_user
