import pytest

from tests.reviews import factories as rf


@pytest.fixture
def rubric(db):
    return rf.rubric_2023()
