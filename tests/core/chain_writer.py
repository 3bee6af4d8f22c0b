"""One of several processes writing at once (tests/core/test_audit_chain.py): waits for the
start time, then saves ``rounds`` changes to its own action, alternating the services (an ORM
flush) and the batch path (an import's executemany), each in a transaction of its own."""
from __future__ import annotations

import sys
import time

from sqlalchemy import select

from vrboard.model import Action, ActionStatus, Channel
from vrboard.services import action_batch as batch
from vrboard.services import actions as act
from vrboard.services.context import actor_for, find_person
from vrboard.store import open_database


def main(url: str, index: int, rounds: int, start_at: float) -> None:
    db = open_database(url, migrate_schema=False)
    with db.session() as s:
        who = actor_for(find_person(s, "rkaplan"), Channel.APP)  # the demo's secretariat, directly
        ids = s.scalars(select(Action.id).where(Action.status == ActionStatus.IN_PROGRESS)
                        .order_by(Action.id)).all()
    action_id = ids[index]
    time.sleep(max(0.0, start_at - time.time()))
    for n in range(rounds):
        with db.transaction() as s:
            if n % 2:
                a = s.get(Action, action_id)
                assert a is not None
                done = batch.apply_updates(s, who.via(Channel.IMPORT, f"writer {index}"), [batch.ActionUpdate(
                    n, action_id, a.version, {"percent_complete": n + 1}, progress_text=f"round {n}",
                    source=f"writer {index} row {n}")])
                assert not done.refused, done.refused
            else:
                act.update_action(s, who, action_id, None, {"percent_complete": n + 1,
                                                            "lead_organisation": f"writer {index} round {n}"})
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
