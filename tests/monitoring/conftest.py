"""Fixtures of the monitoring engine's tests."""

import pytest


@pytest.fixture
def chunk_size(settings):
    """Set settings.MONITORING["CHUNK_SIZE"]: `chunk_size(2)`."""

    def set_size(size: int) -> None:
        settings.MONITORING = {**settings.MONITORING, "CHUNK_SIZE": size}

    return set_size
