import pytest

from tests.servers import running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("assistant")) as running:
        yield running
