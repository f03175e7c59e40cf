"""Shared fixtures: the flashscope binary the Python results are compared against."""
import os

import pytest


@pytest.fixture(scope="session")
def cli():
    """The CLI given by FLASHSCOPE_CLI (scripts/test.sh sets it to the build's binary)."""
    path = os.environ.get("FLASHSCOPE_CLI")
    if not path:
        pytest.skip("FLASHSCOPE_CLI is not set (scripts/test.sh sets it)")
    return path
