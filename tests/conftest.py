import pytest
from rest_framework.test import APIClient

from chainwork.reference import load_reference_data
from tests.base import make_personas


@pytest.fixture
def reference_data(db):
    """Reference rows, also after a transactional test truncated the tables (stack.md pitfall 6)."""
    load_reference_data()


@pytest.fixture
def personas(reference_data):
    return make_personas()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(client):
    """A Django test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
