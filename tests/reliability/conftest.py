"""Bad input and races (issue #13, parts 2 and 3).

The property tests share one Hypothesis profile, sized for CI: a few dozen examples each, no per-example
deadline (an example is a whole Django request), the same examples on every run.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "reliability",
    max_examples=int(os.environ.get("RELIABILITY_EXAMPLES", "15")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile("reliability")


@pytest.fixture(autouse=True)
def reliability_media(settings, tmp_path):
    """Uploads waiting for confirmation and photos go to a temporary directory; no outside channels."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_DEFAULT_CHANNELS = []
