"""The six steps as a table: every allowed move, and the refusals' messages."""

from __future__ import annotations

import pytest

from commitments import states
from commitments.states import Action, State, TransitionRefused, allowed, next_state, refusal


def test_the_happy_path_through_the_six_steps():
    state = State.DRAFT
    state = next_state(state, Action.COMMENT)
    assert state == State.DRAFT
    state = next_state(state, Action.VOTE)
    assert state == State.ADOPTED
    state = next_state(state, Action.APPROVE)
    assert state == State.APPROVED
    state = next_state(state, Action.PUBLISH)
    assert state == State.PUBLISHED
    assert next_state(state, Action.PROGRESS) == State.PUBLISHED
    assert next_state(state, Action.INSPECT) == State.PUBLISHED
    assert next_state(state, Action.CLOSE) == State.ASSESSED


def test_a_failed_vote_sends_back_and_a_redraft_makes_a_draft_again():
    assert next_state(State.DRAFT, Action.VOTE, failed_vote=True) == State.SENT_BACK
    assert next_state(State.SENT_BACK, Action.EDIT) == State.DRAFT
    assert next_state(State.ADOPTED, Action.REFUSE) == State.SENT_BACK


@pytest.mark.parametrize("state", [State.DRAFT, State.SENT_BACK, State.ADOPTED])
def test_publishing_before_adoption_and_approval_is_refused(state):
    assert not allowed(state, Action.PUBLISH)
    with pytest.raises(TransitionRefused) as refused:
        next_state(state, Action.PUBLISH)
    assert "不能公开" in refused.value.message


@pytest.mark.parametrize("state", states.ADOPTED_STATES)
def test_an_adopted_commitments_content_is_never_edited(state):
    assert not allowed(state, Action.EDIT)
    assert refusal(state, Action.EDIT) == states.ADOPTED_IS_FIXED
    assert allowed(state, Action.REVISE)


def test_a_sent_back_item_is_redrafted_before_the_next_vote():
    assert refusal(State.SENT_BACK, Action.VOTE) == states.SENT_BACK_FIRST


@pytest.mark.parametrize("state", [State.ASSESSED, State.SUPERSEDED, State.WITHDRAWN])
def test_closed_items_are_read_only(state):
    for action in (Action.EDIT, Action.VOTE, Action.PUBLISH, Action.PROGRESS, Action.WITHDRAW):
        assert not allowed(state, action)
        assert refusal(state, action)


def test_every_refusal_is_a_chinese_sentence():
    for action in Action:
        for state in State:
            if not allowed(state, action):
                message = refusal(state, action)
                assert message.endswith("。") and not message.isascii()
