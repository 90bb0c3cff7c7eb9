"""The 承诺书 (004 四（三）): one per village (community) and year, the two committees' items, signed by
the secretary and the director, with the township's seal."""

from __future__ import annotations

import datetime

from commitments.models import Commitment, Scope, Subject
from commitments.selectors import pledge_items
from commitments.states import State
from liaison.documents.printing import printed_meta
from liaison.models import Organisation

SECTIONS = (
    (Subject.PARTY, "村（社区）党组织承诺", "由党组织书记代表党组织，对上向镇街党委、对下向全体党员承诺"),
    (
        Subject.COMMITTEE,
        "村（居）委会承诺",
        "由村（居）委会主任代表村（居）委会，对上向镇街政府、对下向全体群众承诺",
    ),
)


def pledge_title(organisation: Organisation, year: int) -> str:
    return f"{organisation.display_name}“两委会”{year}年承诺书"


def pledge_context(*, organisation: Organisation, year: int, user) -> dict:
    items = list(pledge_items(organisation, year).exclude(state=State.ADOPTED))
    sections = []
    number = 0
    for subject, heading, note in SECTIONS:
        rows = []
        for scope in (Scope.TERM, Scope.ANNUAL):
            for item in (i for i in items if i.subject == subject and i.scope == scope):
                number += 1
                rows.append((number, item))
        sections.append({"heading": heading, "note": note, "rows": rows})
    township = organisation.parent
    return {
        "organisation": organisation,
        "township": township,
        "year": year,
        "title": pledge_title(organisation, year),
        "sections": sections,
        "count": number,
        "pending": sum(1 for i in items if i.state == State.APPROVED),
        "has_term": any(i.scope == Scope.TERM for i in items),
        "today": datetime.date.today(),
        **printed_meta(user),
    }


__all__ = ["Commitment", "pledge_context", "pledge_title"]
