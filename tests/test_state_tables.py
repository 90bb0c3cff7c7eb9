"""The one state-table machinery (liaison/states.py) behind the opinion loop and the commitment steps."""

import pytest
from django.db import models

from commitments import states as commitment_states
from feedback import states as opinion_states
from liaison.states import TransitionRefused, Transitions, stay


class Light(models.TextChoices):
    RED = "red", "红灯"
    GREEN = "green", "绿灯"


class Move(models.TextChoices):
    GO = "go", "通行"
    WAIT = "wait", "等待"


def refusal(state, action):
    return f"当前为“{state.label}”，不能{action.label}。"


def test_a_table_that_forgets_an_action_is_refused_when_the_app_loads():
    with pytest.raises(ValueError, match="wait"):
        Transitions(states=Light, actions=Move, table={Move.GO: {Light.GREEN: Light.GREEN}}, refusal=refusal)


def test_allowed_and_target_follow_the_table_and_refuse_with_the_apps_sentence():
    machine = Transitions(
        states=Light,
        actions=Move,
        table={Move.GO: stay(Light.GREEN), Move.WAIT: stay(Light.RED)},
        refusal=refusal,
    )
    assert machine.allowed("green", "go") and not machine.allowed(Light.RED, Move.GO)
    assert machine.target("red", "wait") is Light.RED
    with pytest.raises(TransitionRefused) as refused:
        machine.target("red", "go")
    assert refused.value.message == "当前为“红灯”，不能通行。"
    assert (refused.value.state, refused.value.action) == (Light.RED, Move.GO)


def test_both_apps_raise_the_one_exception_so_one_handler_catches_either():
    assert opinion_states.TransitionRefused is commitment_states.TransitionRefused is TransitionRefused
    with pytest.raises(TransitionRefused):
        opinion_states.next_state(opinion_states.State.CLOSED, opinion_states.Action.EDIT)
    with pytest.raises(TransitionRefused):
        commitment_states.next_state(commitment_states.State.ASSESSED, commitment_states.Action.EDIT)
