"""The machinery of a record's life as one table of allowed moves (feedback's opinions, commitments).

An app declares its states and actions as TextChoices, a table `{action: {from_state: to_state}}` and a
function that says, in Chinese, why a move is refused and what to do instead. `Transitions` answers the
two questions every service and page asks: may this action happen now (`allowed`), and where does it
lead (`target`, which raises `TransitionRefused` with the app's message otherwise). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum


class TransitionRefused(Exception):
    """A move the table does not allow; `message` is the Chinese sentence shown next to the button."""

    def __init__(self, message: str, *, action: Enum, state: Enum) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.state = state


def stay(*states: Enum) -> dict:
    """A table row for an action that is allowed in these states and leaves the state as it was."""
    return {state: state for state in states}


class Transitions:
    def __init__(
        self,
        *,
        states: type[Enum],
        actions: type[Enum],
        table: Mapping[Enum, Mapping[Enum, Enum]],
        refusal: Callable[[Enum, Enum], str],
    ) -> None:
        missing = set(actions) - set(table)
        if missing:
            raise ValueError(f"no transitions for {sorted(a.value for a in missing)}")
        self.states, self.actions, self.table, self.refusal = states, actions, table, refusal

    def allowed(self, state, action) -> bool:
        return self.states(state) in self.table[self.actions(action)]

    def target(self, state, action):
        state, action = self.states(state), self.actions(action)
        try:
            return self.table[action][state]
        except KeyError:
            raise TransitionRefused(self.refusal(state, action), action=action, state=state) from None
