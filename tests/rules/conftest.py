import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Tests that read message text read the English source strings."""
    with translation.override("en"):
        yield
