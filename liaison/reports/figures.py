"""The annual figures per village (community), per 镇街 and for the whole report, in SQL aggregates.

Every figure is one aggregate query grouped by organisation_id over the report's subtree (then the
names are joined in Python from the one list of organisations): a bounded number of queries whatever
the district's size, never one per organisation. Where an app already counts something for its own
page, its function is reused, so the workbook and the page agree:

- households: the stored totals (liaison.totals, OrganisationTotals);
- visit coverage in the year: visits.compliance.coverage.village_coverage (one statement);
- reception half-days required and held: feedback.reception_selectors.compliance;
- opinions on time and overdue: the deadline conditions of feedback's OpinionQuerySet;
- commitments and grades: commitments' states and the Assessment's 综合考评结果.

The report covers a subtree (the district, a 镇街 or a village) as the organisation department sees
it: figures are counted with a stand-in user whose scope is the report's root (`scope_user`); who may
ask for which root is decided by the view (liaison.reports.views) or the command's operator.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from liaison.access.scoping import subtree_ids
from liaison.compliance import KindRow, Summary, summary_by_organisation, unit_kind_table
from liaison.models import Organisation, OrganisationTotals, Role, User
from liaison.models.organisations import PATH_STEP

L = Organisation.Level

# The counted figures, in the workbook's column order; the rates are formulas over these (workbook.py).
COUNTS = (
    "grassroots",
    "households",
    "visited_households",
    "visits",
    "sessions_required",
    "sessions_held",
    "opinions",
    "opinions_closed",
    "opinions_on_time",
    "opinions_late",
    "opinions_overdue",
    "opinions_rated",
    "opinions_satisfied",
    "commitments",
    "commitments_adopted",
    "commitments_done",
    "grade_excellent",
    "grade_pass",
    "grade_basic",
    "grade_fail",
    "pairings",
    "unit_pairings",
    "funds",
    "lined",
)


@dataclass
class Row:
    """One line of a sheet: a village (community), a 镇街, or the part registered at a level's own
    organisation (镇街本级, 区本级: receptions, opinions and the like of the township itself)."""

    organisation: Organisation | None
    label: str
    kind: str  # grassroots | own | township
    values: dict[str, Decimal | int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    # The quota rules met and applicable for the organisation and everything below it (the compliance
    # engine's Summary): not additive, so a 镇街 row has its own, and 本级 rows have none.
    compliance: Summary | None = None

    def add(self, name: str, value) -> None:
        self.values[name] += value or 0

    def absorb(self, other: Row) -> None:
        for name in COUNTS:
            self.values[name] += other.values[name]

    @property
    def empty(self) -> bool:
        return not any(self.values.values())


@dataclass
class Township:
    row: Row
    villages: list[Row] = field(default_factory=list)
    own: Row | None = None


@dataclass
class AnnualFigures:
    root: Organisation
    year: int
    as_of: datetime.date  # overdue and coverage are counted as on this day (the year's end, or today)
    townships: list[Township]
    own: Row | None  # 区本级 (the root's own records, when the root is above the townships)
    organisations: dict[int, Organisation]
    compliance: Summary | None = None  # the root's own (the 合计 row)
    # Where each organisation's records are listed in the detail sheets: (镇街, 村（社区）or 单位).
    places: dict[int, tuple[str, str]] = field(default_factory=dict)
    # The unit rules per pairing kind × kind of unit (liaison.compliance.unit_kinds), for 单位类别.
    unit_kinds: list[KindRow] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        rows = [t.row for t in self.townships] + ([self.own] if self.own else [])
        return any(
            r.values[name]
            for r in rows
            for name in COUNTS
            # standing figures and what is required, not the year's work
            if name not in ("grassroots", "households", "sessions_required")
        )


def scope_user(root: Organisation) -> User:
    """An unsaved stand-in with the organisation department's role at `root`: the apps' counting
    functions take a user for their scope, and the report's scope is its root."""
    return User(username="annual-report", role=Role.ORG_DEPT, organisation=root, is_active=True)


def as_of_day(year: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return max(datetime.date(year, 1, 1), min(today, datetime.date(year, 12, 31)))


def annual_figures(root: Organisation, year: int, *, today: datetime.date | None = None) -> AnnualFigures:
    orgs = {o.pk: o for o in Organisation.objects.filter(path__startswith=root.path).order_by("path")}
    by_path = {o.path: o for o in orgs.values()}
    as_of = as_of_day(year, today)

    def ancestor(org: Organisation, levels) -> Organisation | None:
        for end in range(PATH_STEP, len(org.path) + 1, PATH_STEP):
            found = by_path.get(org.path[:end])
            if found is not None and found.level in levels:
                return found
        return None

    # Where each organisation's records count: its village (community) row, else its 镇街's own row,
    # else the root's own row (区本级).
    grassroots_rows: dict[int, Row] = {}
    township_of: dict[int, Township] = {}
    townships: list[Township] = []
    own = Row(root, f"{root.display_name}本级", "own") if root.level == L.DISTRICT else None
    for org in orgs.values():
        if org.level == L.TOWNSHIP:
            t = Township(Row(org, org.display_name, "township"))
            t.own = Row(org, f"{org.display_name}本级", "own")
            township_of[org.pk] = t
            townships.append(t)
    if root.level in (L.VILLAGE, L.COMMUNITY) and root.pk not in township_of:
        # A village's own report: one 镇街 row, the village's, so that the sheets keep their shape.
        parent = root.parent
        t = Township(Row(parent, parent.display_name, "township"))
        township_of[parent.pk] = t
        townships.append(t)
    for org in orgs.values():
        if org.level in Organisation.GRASSROOTS_LEVELS:
            row = Row(org, org.display_name, "grassroots")
            row.values["grassroots"] = 1
            grassroots_rows[org.pk] = row
            t = township_of.get(org.parent_id)
            if t is not None:
                t.villages.append(row)

    target: dict[int, Row] = {}
    places: dict[int, tuple[str, str]] = {}
    for org in orgs.values():
        village = ancestor(org, Organisation.GRASSROOTS_LEVELS)
        township = ancestor(org, (L.TOWNSHIP,)) or (
            root.parent if root.level in Organisation.GRASSROOTS_LEVELS else None
        )
        places[org.pk] = (
            township.display_name if township else "",
            village.display_name if village else org.display_name,
        )
        if village is not None and village.pk in grassroots_rows:
            target[org.pk] = grassroots_rows[village.pk]
            continue
        if township is not None and township.pk in township_of:
            target[org.pk] = township_of[township.pk].own
        elif own is not None:
            target[org.pk] = own

    def put(org_id: int | None, name: str, value) -> None:
        row = target.get(org_id)
        if row is not None and value:
            row.add(name, value)

    ids = subtree_ids(root)  # a subquery: organisation_id IN (the subtree), never a long list
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for org_id, households in OrganisationTotals.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "households"
    ):
        put(org_id, "households", households)
    _visits(root, year, as_of, ids, start, end, put)
    _receptions(root, year, as_of, put)
    _opinions(ids, start, end, as_of, put)
    _commitments(ids, year, put)
    _pairings(ids, start, end, put)

    for t in townships:
        for village in t.villages:
            t.row.absorb(village)
        if t.own is not None:
            t.row.absorb(t.own)

    # Quota compliance: the engine measures every rule once over all these subtrees (liaison.compliance).
    judged = [
        root,
        *(t.row.organisation for t in townships),
        *(r.organisation for r in grassroots_rows.values()),
    ]
    summaries = summary_by_organisation({o.pk: o for o in judged}.values(), year, today=as_of)
    for t in townships:
        t.row.compliance = summaries.get(t.row.organisation.pk)
    for row in grassroots_rows.values():
        row.compliance = summaries.get(row.organisation.pk)
    # Per kind of unit: the unit rules' own counting, for the root's subtree (its own context: the
    # engine's above spans the parent township when the report is a village's).
    unit_kinds = unit_kind_table(root, year, today=as_of)
    figures = AnnualFigures(root, year, as_of, townships, own, orgs, places=places, unit_kinds=unit_kinds)
    figures.compliance = summaries.get(root.pk)
    return figures


def _visits(root, year, as_of, ids, start, end, put) -> None:
    from visits.compliance.coverage import village_coverage
    from visits.models import Visit

    for row in village_coverage(scope_user(root), year=year, today=as_of):
        put(row.village.pk, "visited_households", row.visited_in_year)
    for org_id, n in (
        Visit.objects.filter(organisation_id__in=ids, visited_on__gte=start, visited_on__lte=end)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    ):
        put(org_id, "visits", n)


def _receptions(root, year, as_of, put) -> None:
    from feedback.reception_selectors import compliance

    for row in compliance(user=scope_user(root), root=root, year=year, today=as_of):
        put(row.organisation.pk, "sessions_required", row.required)
        put(row.organisation.pk, "sessions_held", row.held)


def _opinions(ids, start, end, as_of, put) -> None:
    from feedback.models import Opinion
    from feedback.models.opinions import OpinionQuerySet, Satisfaction
    from feedback.states import State

    answered = Q(feedback_on__isnull=False)
    for row in (
        Opinion.objects.filter(organisation_id__in=ids, received_on__gte=start, received_on__lte=end)
        .order_by()
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            closed=Count("id", filter=Q(state=State.CLOSED)),
            on_time=Count("id", filter=answered & Q(feedback_on__lte=F("due_date"))),
            late=Count("id", filter=answered & Q(feedback_on__gt=F("due_date"))),
            overdue=Count("id", filter=OpinionQuerySet.is_overdue(as_of)),
            rated=Count("id", filter=~Q(satisfaction="")),
            satisfied=Count(
                "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
            ),
        )
    ):
        org_id = row["organisation_id"]
        put(org_id, "opinions", row["n"])
        put(org_id, "opinions_closed", row["closed"])
        put(org_id, "opinions_on_time", row["on_time"])
        put(org_id, "opinions_late", row["late"])
        put(org_id, "opinions_overdue", row["overdue"])
        put(org_id, "opinions_rated", row["rated"])
        put(org_id, "opinions_satisfied", row["satisfied"])


ADOPTED_STATES = ("adopted", "approved", "published", "assessed")  # 民主定诺 passed (commitments.states)
INACTIVE_STATES = ("withdrawn", "superseded")
GRADE_COLUMNS = {
    "excellent": "grade_excellent",
    "pass": "grade_pass",
    "basic": "grade_basic",
    "fail": "grade_fail",
}


def _commitments(ids, year, put) -> None:
    from commitments.models import Assessment, Commitment, Completion

    for row in (
        Commitment.objects.filter(organisation_id__in=ids, year__lte=year, end_year__gte=year)
        .exclude(state__in=INACTIVE_STATES)
        .order_by()
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            adopted=Count("id", filter=Q(state__in=ADOPTED_STATES)),
            done=Count("id", filter=Q(completion=Completion.DONE)),
        )
    ):
        put(row["organisation_id"], "commitments", row["n"])
        put(row["organisation_id"], "commitments_adopted", row["adopted"])
        put(row["organisation_id"], "commitments_done", row["done"])
    for org_id, grade, n in (
        Assessment.objects.filter(organisation_id__in=ids, year=year)
        .exclude(final_grade="")
        .order_by()
        .values("organisation_id", "final_grade")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "final_grade", "n")
    ):
        if grade in GRADE_COLUMNS:
            put(org_id, GRADE_COLUMNS[grade], n)


def _pairings(ids, start, end, put) -> None:
    from members.models import Pairing, UnitPairing, UnitPairingRecord

    during = Q(start_date__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    for org_id, n in (
        Pairing.objects.filter(during, household__organisation_id__in=ids)
        .order_by()
        .values("household__organisation_id")
        .annotate(n=Count("id"))
        .values_list("household__organisation_id", "n")
    ):
        put(org_id, "pairings", n)
    lines: dict[int, set[str]] = defaultdict(set)
    for org_id, kind, n in (
        UnitPairing.objects.filter(during, area_id__in=ids)
        .order_by()
        .values("area_id", "kind")
        .annotate(n=Count("id"))
        .values_list("area_id", "kind", "n")
    ):
        put(org_id, "unit_pairings", n)
        lines[org_id].add(kind)
    for org_id, kinds in lines.items():
        if UnitPairing.Kind.LIAISON_LINE in kinds:
            put(org_id, "lined", 1)
    for org_id, money in (
        UnitPairingRecord.objects.filter(pairing__area_id__in=ids, date__gte=start, date__lte=end)
        .order_by()
        .values("pairing__area_id")
        .annotate(money=Sum("money"))
        .values_list("pairing__area_id", "money")
    ):
        put(org_id, "funds", money)
