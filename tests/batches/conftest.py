import pytest

from tests.cases.workflow_support import case_in, new_case


@pytest.fixture(autouse=True)
def batch_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def hubei_case(personas, chain):
    """hubei_case("local", title=...) → a Hubei problem brought to the state through the workflow."""

    def make(state="new", **kwargs):
        return case_in(state, personas, chain, **kwargs) if state != "new" else new_case(personas, chain, **kwargs)

    return make
