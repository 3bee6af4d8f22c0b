from tests.conftest import actor
from vrboard.services.queries import list_actions


def test_demo_board_builds(demo_db):
    with demo_db.session() as s:
        assert len(list_actions(s)) >= 60
    assert actor(demo_db, "rkaplan").name == "Ruth Kaplan"
