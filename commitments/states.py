"""The six steps of a 两委会 commitment (004 四、承诺的方法步骤) as one table of allowed moves.

提出初诺 (draft, comments gathered) → 民主定诺 (a vote: adopted, or sent back to be redrafted) → 报镇街党委、
政府批准 → 公开承诺 (published) → 履职践诺 / 跟踪督诺 (progress notes, inspections) → 考核评诺 (closed by the
year-end assessment). An adopted commitment's content is never edited: a change is a revision, a new
draft that goes through the vote again and replaces the old item when it is published.

Everything not in the table is refused with a message that says why and what to do instead. Pure: no
database.
"""

from __future__ import annotations

from django.db import models

from liaison.states import TransitionRefused as TransitionRefused  # services catch it from here
from liaison.states import Transitions
from liaison.states import stay as _stay


class State(models.TextChoices):
    DRAFT = "draft", "初诺（征求意见）"
    SENT_BACK = "sent_back", "退回重新拟定"
    ADOPTED = "adopted", "表决通过，待镇街批准"
    APPROVED = "approved", "镇街已批准，待公开"
    PUBLISHED = "published", "已公开承诺，践诺中"
    ASSESSED = "assessed", "已考核评诺"
    SUPERSEDED = "superseded", "已由修改稿替代"
    WITHDRAWN = "withdrawn", "已撤回"


class Action(models.TextChoices):
    EDIT = "edit", "修改内容"
    COMMENT = "comment", "登记征求意见"
    VOTE = "vote", "记录表决结果"
    APPROVE = "approve", "镇街批准"
    REFUSE = "refuse", "镇街退回"
    PUBLISH = "publish", "公开承诺"
    PROGRESS = "progress", "记录践诺情况"
    INSPECT = "inspect", "跟踪督诺"
    CHECK = "check", "考察完成情况"
    CLOSE = "close", "考核评诺"
    REVISE = "revise", "提出修改稿"
    SUPERSEDE = "supersede", "由修改稿替代"
    WITHDRAW = "withdraw", "撤回"


S = State
# Where the content may still change: before the vote, or after it sent the item back.
OPEN_DRAFTS = (S.DRAFT, S.SENT_BACK)
# Adopted by the members and residents: the content is fixed from here on.
ADOPTED_STATES = (S.ADOPTED, S.APPROVED, S.PUBLISHED)
# What the public sees (公开承诺 and after).
PUBLIC_STATES = (S.PUBLISHED, S.ASSESSED)
# What an assessment or the 承诺书 counts: the village's standing commitments.
STANDING_STATES = (S.ADOPTED, S.APPROVED, S.PUBLISHED, S.ASSESSED)


TRANSITIONS: dict[Action, dict[State, State]] = {
    # Redrafting an item the vote sent back makes it a draft again, ready for comments and a new vote.
    Action.EDIT: {S.DRAFT: S.DRAFT, S.SENT_BACK: S.DRAFT},
    Action.COMMENT: _stay(*OPEN_DRAFTS),
    # The vote's outcome decides between ADOPTED and SENT_BACK (services.vote_record); the table says
    # from where a vote may be recorded and where an adopted one leads.
    Action.VOTE: {S.DRAFT: S.ADOPTED},
    Action.APPROVE: {S.ADOPTED: S.APPROVED},
    Action.REFUSE: {S.ADOPTED: S.SENT_BACK},
    Action.PUBLISH: {S.APPROVED: S.PUBLISHED},
    Action.PROGRESS: _stay(S.PUBLISHED),
    Action.INSPECT: _stay(S.PUBLISHED),
    Action.CHECK: _stay(S.PUBLISHED, S.ASSESSED),
    Action.CLOSE: {S.PUBLISHED: S.ASSESSED},
    Action.REVISE: _stay(*ADOPTED_STATES),
    Action.SUPERSEDE: {state: S.SUPERSEDED for state in ADOPTED_STATES},
    Action.WITHDRAW: {S.DRAFT: S.WITHDRAWN, S.SENT_BACK: S.WITHDRAWN},
}
# A vote that does not adopt the item sends it back (004 四（二）: 重新拟定承诺事项，直到党员群众认可为止).
VOTE_FAILED: dict[State, State] = {S.DRAFT: S.SENT_BACK}

REFUSED = "该承诺当前为“{state}”，不能{action}。"
ADOPTED_IS_FIXED = (
    "已经党员群众表决通过的承诺不能直接修改内容。如需变更，请点“提出修改稿”："
    "修改稿作为新的初诺，须重新征求意见、经党员群众表决，并报镇街批准后替代原承诺。"
)
NOT_ADOPTED_YET = "承诺事项尚未经党员群众表决通过（同意票达到三分之二），不能公开。"
NOT_APPROVED_YET = "承诺事项尚未报经镇街党委、政府批准，不能公开。"
CLOSED = "该承诺已考核评诺或已不再有效，只能查看。"
SENT_BACK_FIRST = "表决未通过的承诺须先重新拟定（修改内容）后再交付表决。"
HINTS: dict[tuple[Action, State], str] = {
    (Action.PUBLISH, S.DRAFT): NOT_ADOPTED_YET,
    (Action.PUBLISH, S.SENT_BACK): NOT_ADOPTED_YET,
    (Action.PUBLISH, S.ADOPTED): NOT_APPROVED_YET,
    (Action.PUBLISH, S.PUBLISHED): "该承诺已经公开。",
    (Action.APPROVE, S.DRAFT): "承诺事项尚未经党员群众表决通过，不能报批。",
    (Action.APPROVE, S.SENT_BACK): "承诺事项表决未通过，须重新拟定并表决通过后再报批。",
    (Action.APPROVE, S.APPROVED): "该承诺已经镇街批准。",
    (Action.APPROVE, S.PUBLISHED): "该承诺已经镇街批准并公开。",
    (Action.VOTE, S.SENT_BACK): SENT_BACK_FIRST,
    (Action.VOTE, S.ADOPTED): "该承诺已表决通过。",
    (Action.VOTE, S.APPROVED): "该承诺已表决通过并经镇街批准。",
    (Action.VOTE, S.PUBLISHED): "该承诺已表决通过并公开。",
    (Action.COMMENT, S.ADOPTED): "该承诺已表决通过，不再征求修改意见；如需变更，请提出修改稿。",
    (Action.PROGRESS, S.DRAFT): "承诺尚未公开，不能记录践诺情况。",
    (Action.PROGRESS, S.ADOPTED): "承诺尚未公开，不能记录践诺情况。",
    (Action.PROGRESS, S.APPROVED): "承诺尚未公开，请先公开承诺再记录践诺情况。",
    (Action.INSPECT, S.APPROVED): "承诺尚未公开，不能督诺。",
    (Action.CLOSE, S.APPROVED): "承诺尚未公开，不能考核评诺。",
    (Action.CLOSE, S.ADOPTED): "承诺尚未公开，不能考核评诺。",
    (Action.CLOSE, S.DRAFT): "承诺尚未公开，不能考核评诺。",
    (Action.REVISE, S.DRAFT): "初诺尚未表决，可直接修改内容，无需提出修改稿。",
    (Action.REVISE, S.SENT_BACK): "表决未通过的承诺可直接修改内容后重新表决。",
}
for _state in ADOPTED_STATES:
    HINTS[(Action.EDIT, _state)] = ADOPTED_IS_FIXED


def refusal(state: State | str, action: Action | str) -> str:
    state, action = State(state), Action(action)
    if (action, state) in HINTS:
        return HINTS[(action, state)]
    if state in (S.ASSESSED, S.SUPERSEDED, S.WITHDRAWN):
        return CLOSED
    return REFUSED.format(state=state.label, action=action.label)


MACHINE = Transitions(states=State, actions=Action, table=TRANSITIONS, refusal=refusal)
allowed = MACHINE.allowed


def next_state(state: State | str, action: Action | str, *, failed_vote: bool = False) -> State:
    target = MACHINE.target(state, action)
    if Action(action) == Action.VOTE and failed_vote:
        return VOTE_FAILED[State(state)]
    return target
