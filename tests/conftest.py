import numpy as np
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so the suite cannot pass one day and fail the next.
settings.register_profile("nnbook", derandomize=True, deadline=None)
settings.load_profile("nnbook")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
