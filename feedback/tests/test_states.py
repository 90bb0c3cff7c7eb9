"""The state machine: every allowed move, and every refused one with the message the user reads."""

from __future__ import annotations

import itertools

import pytest

from feedback.states import (
    CLOSED_READ_ONLY,
    TRANSITIONS,
    Action,
    State,
    TransitionRefused,
    allowed,
    next_state,
)

S = State
# The whole table, written out once more by hand: a change to TRANSITIONS must be a change here too.
EXPECTED = {
    (Action.EDIT, S.REGISTERED): S.REGISTERED,
    (Action.EDIT, S.ASSIGNED): S.ASSIGNED,
    (Action.EDIT, S.IN_PROGRESS): S.IN_PROGRESS,
    (Action.EDIT, S.ANSWERED): S.ANSWERED,
    (Action.ASSIGN, S.REGISTERED): S.ASSIGNED,
    (Action.ASSIGN, S.ASSIGNED): S.ASSIGNED,
    (Action.ASSIGN, S.IN_PROGRESS): S.IN_PROGRESS,
    (Action.RECEIVE, S.ASSIGNED): S.IN_PROGRESS,
    (Action.RECEIVE, S.IN_PROGRESS): S.IN_PROGRESS,
    (Action.RECEIVE, S.ANSWERED): S.ANSWERED,
    (Action.START, S.REGISTERED): S.IN_PROGRESS,
    (Action.START, S.ASSIGNED): S.IN_PROGRESS,
    (Action.RESULT, S.ASSIGNED): S.ANSWERED,
    (Action.RESULT, S.IN_PROGRESS): S.ANSWERED,
    (Action.RESULT, S.ANSWERED): S.ANSWERED,
    (Action.FEEDBACK, S.ANSWERED): S.ANSWERED,
    (Action.CLOSE, S.ANSWERED): S.CLOSED,
    (Action.REOPEN, S.CLOSED): S.ANSWERED,
    **{(Action.URGE, s): s for s in (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED)},
    **{(Action.ANSWER_URGE, s): s for s in (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED)},
    **{(Action.REQUEST_EXTENSION, s): s for s in (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)},
    **{(Action.DECIDE_EXTENSION, s): s for s in (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED)},
    **{(Action.CASE, s): s for s in (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED)},
    # 转报上级 (004 “1234”制度: 属上一级党组织职责范围): sent up, then signed for by the level above
    (Action.TRANSFER, S.REGISTERED): S.TRANSFERRED,
    (Action.TRANSFER, S.IN_PROGRESS): S.TRANSFERRED,
    (Action.ACCEPT_TRANSFER, S.TRANSFERRED): S.REGISTERED,
    (Action.URGE, S.TRANSFERRED): S.TRANSFERRED,
    (Action.ANSWER_URGE, S.TRANSFERRED): S.TRANSFERRED,
}
ALL = list(itertools.product(Action, State))
REFUSED = [pair for pair in ALL if pair not in EXPECTED]


def test_table_is_the_expected_one():
    assert {(a, s): t for a, moves in TRANSITIONS.items() for s, t in moves.items()} == EXPECTED


@pytest.mark.parametrize(("action", "state"), list(EXPECTED))
def test_allowed_moves(action, state):
    assert allowed(state, action)
    assert next_state(state, action) == EXPECTED[(action, state)]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_refused_move_says_why(action, state):
    assert not allowed(state, action)
    with pytest.raises(TransitionRefused) as caught:
        next_state(state, action)
    message = caught.value.message
    assert message and message.endswith("。")
    if state == S.CLOSED:
        assert message == CLOSED_READ_ONLY
    else:
        assert state.label in message or "尚未" in message or "已" in message


def test_refusals_that_tell_what_to_do():
    with pytest.raises(TransitionRefused, match="请先交办或点“开始办理”"):
        next_state(S.REGISTERED, Action.RESULT)
    with pytest.raises(TransitionRefused, match="尚未办结并反馈反映人，不能销号"):
        next_state(S.IN_PROGRESS, Action.CLOSE)
    with pytest.raises(TransitionRefused, match="只有已销号的意见才能重新打开"):
        next_state(S.ANSWERED, Action.REOPEN)


def test_closed_is_read_only_for_everything_but_reopening():
    assert [a for a in Action if allowed(S.CLOSED, a)] == [Action.REOPEN]
