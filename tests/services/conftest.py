import pytest

from tests.factories import Township


@pytest.fixture
def w(town) -> Township:
    """The service tests' short name for the township (tests/conftest.py)."""
    return town
