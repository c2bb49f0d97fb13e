"""The demo is reproducible: the same seed and as_of build the same rows."""

from tests.conftest import AS_OF
from tests.demo.helpers import built_demo, table_digest


def test_same_seed_and_as_of_build_the_same_rows(db) -> None:  # noqa: ANN001
    # given
    with built_demo(AS_OF, seed=5):
        first = table_digest()
    # when
    with built_demo(AS_OF, seed=5):
        second = table_digest()
    with built_demo(AS_OF, seed=6):
        other = table_digest()
    # then
    assert first == second
    assert first != other
