"""The life of an opinion: registered → assigned → in progress → answered → closed (销号).

One table says which action is allowed in which state and where it leads; everything else is
refused with a message that says why (and what to do instead). Pure: no database.
"""

from __future__ import annotations

from django.db import models

from liaison.states import TransitionRefused as TransitionRefused  # services catch it from here
from liaison.states import Transitions
from liaison.states import stay as _stay


class State(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    ANSWERED = "answered", "已办结"
    CLOSED = "closed", "已销号"
    # 004 “1234”制度: a category-2 problem goes to the level above, which signs for it (签收) and then
    # registers it as its own (已登记 again, with its own 20 days).
    TRANSFERRED = "transferred", "已转报，待上级签收"


class Action(models.TextChoices):
    EDIT = "edit", "修改"
    ASSIGN = "assign", "交办"
    RECEIVE = "receive", "签收交办单"
    START = "start", "开始办理"
    RESULT = "result", "登记办理结果"
    FEEDBACK = "feedback", "登记反馈"
    CLOSE = "close", "销号"
    REOPEN = "reopen", "重新打开"
    URGE = "urge", "催办督办"
    ANSWER_URGE = "answer_urge", "回复催办"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    DECIDE_EXTENSION = "decide_extension", "审批延期"
    CASE = "case", "包案"
    TRANSFER = "transfer", "转报上级"
    ACCEPT_TRANSFER = "accept_transfer", "签收转报"


S = State
OPEN = (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED)
BEING_HANDLED = (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)
# No 办理结果 yet: an opinion sent up (转报上级) shows as 已转报 below until then.
UNANSWERED = (*BEING_HANDLED, S.TRANSFERRED)


TRANSITIONS: dict[Action, dict[State, State]] = {
    Action.EDIT: _stay(*OPEN),
    Action.ASSIGN: {S.REGISTERED: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.IN_PROGRESS},
    Action.RECEIVE: {S.ASSIGNED: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS, S.ANSWERED: S.ANSWERED},
    Action.START: {S.REGISTERED: S.IN_PROGRESS, S.ASSIGNED: S.IN_PROGRESS},
    Action.RESULT: {S.ASSIGNED: S.ANSWERED, S.IN_PROGRESS: S.ANSWERED, S.ANSWERED: S.ANSWERED},
    Action.FEEDBACK: _stay(S.ANSWERED),
    Action.CLOSE: {S.ANSWERED: S.CLOSED},
    Action.REOPEN: {S.CLOSED: S.ANSWERED},
    Action.URGE: _stay(*OPEN),
    Action.ANSWER_URGE: _stay(*OPEN),
    Action.REQUEST_EXTENSION: _stay(*BEING_HANDLED),
    Action.DECIDE_EXTENSION: _stay(*OPEN),
    Action.CASE: _stay(*OPEN),
    # Not yet handed to a unit: a started opinion may still turn out to be the level above's.
    Action.TRANSFER: {S.REGISTERED: S.TRANSFERRED, S.IN_PROGRESS: S.TRANSFERRED},
    Action.ACCEPT_TRANSFER: {S.TRANSFERRED: S.REGISTERED},
}
# While it waits for the level above to sign for it, the one below may still urge and be answered.
for _action in (Action.URGE, Action.ANSWER_URGE):
    TRANSITIONS[_action][S.TRANSFERRED] = S.TRANSFERRED

CLOSED_READ_ONLY = "该意见已销号，只能查看。如需更正，请先“重新打开”并说明理由。"
REFUSED = "该意见当前为“{state}”，不能{action}。"
# Where the generic sentence would leave the clerk guessing, say what to do instead.
HINTS: dict[tuple[Action, State], str] = {
    (Action.RESULT, S.REGISTERED): "该意见尚未交办或开始办理，请先交办或点“开始办理”，再登记办理结果。",
    (Action.FEEDBACK, S.REGISTERED): "尚未登记办理结果，不能登记反馈。",
    (Action.FEEDBACK, S.ASSIGNED): "尚未登记办理结果，不能登记反馈。",
    (Action.FEEDBACK, S.IN_PROGRESS): "尚未登记办理结果，不能登记反馈。",
    (Action.CLOSE, S.REGISTERED): "尚未办结并反馈反映人，不能销号。",
    (Action.CLOSE, S.ASSIGNED): "尚未办结并反馈反映人，不能销号。",
    (Action.CLOSE, S.IN_PROGRESS): "尚未办结并反馈反映人，不能销号。",
    (Action.RECEIVE, S.REGISTERED): "该意见尚未交办，没有可签收的交办单。",
    (Action.ASSIGN, S.ANSWERED): "该意见已办结，不能再交办。如需重新办理，请先修改办理结果。",
    (Action.START, S.IN_PROGRESS): "该意见已在办理中。",
    (Action.START, S.ANSWERED): "该意见已办结。",
    (Action.REQUEST_EXTENSION, S.ANSWERED): "该意见已办结，无需延期。",
    (Action.TRANSFER, S.ASSIGNED): "该意见已发出交办单，不能再转报上级。",
    (Action.TRANSFER, S.ANSWERED): "该意见已办结，不能再转报上级。",
    (Action.TRANSFER, S.TRANSFERRED): "该意见已转报上级，正等待上级党组织签收。",
}
for _action in (
    Action.EDIT,
    Action.ASSIGN,
    Action.START,
    Action.RESULT,
    Action.FEEDBACK,
    Action.CLOSE,
    Action.REQUEST_EXTENSION,
    Action.DECIDE_EXTENSION,
    Action.CASE,
    Action.RECEIVE,
):
    HINTS[(_action, S.TRANSFERRED)] = "该意见已转报上级，待上级党组织签收后由上级办理。"
for _state in (*OPEN, S.TRANSFERRED):
    HINTS[(Action.REOPEN, _state)] = "只有已销号的意见才能重新打开。"


def refusal(state: State | str, action: Action | str) -> str:
    state, action = State(state), Action(action)
    if state == S.CLOSED and action != Action.REOPEN:
        return CLOSED_READ_ONLY
    return HINTS.get((action, state)) or REFUSED.format(state=state.label, action=action.label)


MACHINE = Transitions(states=State, actions=Action, table=TRANSITIONS, refusal=refusal)
allowed = MACHINE.allowed
next_state = MACHINE.target
