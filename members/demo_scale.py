"""The members app's part of the district-sized data set (`seed_demo --scale district`).

Pairings (结对帮扶) at about one per 20 households (20,000 in the district), poor households first;
a unit pairing (联线 and 党员结对) per village with yearly records; a 联系点 per village for its
township's leaders; the standard post catalogue in every village with members on posts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from liaison.demo.scale import PAIRINGS_PER_HOUSEHOLD, ScaleContext, batched_create
from members.demo import CONTACT_TOPICS, HELP, LINE_DEEDS, member_row
from members.models import (
    STANDARD_POSTS,
    LiaisonContact,
    LiaisonPoint,
    Pairing,
    PairingMember,
    PartyMember,
    Post,
    PostAssignment,
    UnitPairing,
    UnitPairingRecord,
)
from members.pairing_place import follow_households

MULTI_HELPER_SHARE = 0.25  # 多帮一
ENDED_SHARE = 0.08
UNIT_ORGANISATION = "区农业农村委机关党委"


def _members(ctx: ScaleContext) -> None:
    """The PartyMember rows of the members the backbone drew in each village."""
    for village in ctx.villages:
        rows = [member_row(p, village.branches[p.branch]) for p in village.drawn_members]
        village.member_ids = [m.pk for m in batched_create(PartyMember, rows)]


def seed_scale(ctx: ScaleContext) -> str:
    _members(ctx)
    today = ctx.today
    pairings = memberships = 0
    for village in ctx.villages:
        rng = ctx.rng(f"pairings:{village.organisation.code}")
        if not village.member_ids or not village.household_ids:
            continue
        wanted = round(len(village.household_ids) * PAIRINGS_PER_HOUSEHOLD)
        poor = list(village.poor_household_ids)
        others = [h for h in village.household_ids if h not in set(poor)]
        targets = (poor + rng.sample(others, max(0, min(len(others), wanted - len(poor)))))[:wanted]
        rows, helpers = [], []
        for household_id in targets:
            start = datetime.date(
                rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)
            )
            ended = rng.random() < ENDED_SHARE
            ended_on = min(start + datetime.timedelta(days=rng.randint(200, 700)), today) if ended else None
            rows.append(
                Pairing(
                    household_id=household_id,
                    organisation_id=village.organisation.pk,
                    start_date=start,
                    planned_end=start.replace(year=start.year + 2) if rng.random() < 0.7 else None,
                    help_content=rng.choice(HELP),
                    status=Pairing.Status.ENDED if ended_on else Pairing.Status.ACTIVE,
                    ended_on=ended_on,
                    end_reason="党员工作调动" if ended_on else "",
                )
            )
            count = 2 if rng.random() < MULTI_HELPER_SHARE and len(village.member_ids) > 1 else 1
            helpers.append(rng.sample(village.member_ids, count))
        rows = batched_create(Pairing, rows)
        links = [
            PairingMember(pairing=row, member_id=member)
            for row, ids in zip(rows, helpers, strict=True)
            for member in ids
        ]
        batched_create(PairingMember, links)
        pairings += len(rows)
        memberships += len(links)
    follow_households()  # the households' sort keys, in one UPDATE (bulk_create skips save())

    units = _unit_pairings(ctx)
    points = _points(ctx)
    posts = _posts(ctx)
    ctx.counts.update(pairings=pairings, unit_pairings=units, points=points, posts=posts)
    return f"党员与结对帮扶：结对 {pairings} 个（{memberships} 名党员次），联系帮扶 {units} 项，联系点 {points} 个，服务岗位 {posts} 个"


def _unit_pairings(ctx: ScaleContext) -> int:
    """Every village is 联线 by a unit branch; a poor household per village is 党员结对."""
    from liaison.models import Organisation

    unit = Organisation(
        code="BN-NYNC",
        name=UNIT_ORGANISATION,
        short_name=UNIT_ORGANISATION,
        level=Organisation.Level.UNIT,
        unit_kind=Organisation.Kind.ORGAN,
        parent=ctx.district,
    )
    unit.save()
    branch = Organisation(
        code="BN-NYNC-1",
        name="区农业农村委机关第一党支部",
        short_name="机关第一党支部",
        level=Organisation.Level.BRANCH,
        parent=unit,
    )
    branch.save()
    last, this = ctx.today.year - 1, ctx.today.year
    rows = []
    for village in ctx.villages:
        organisation = village.organisation
        rows.append(
            UnitPairing(
                kind=UnitPairing.Kind.LIAISON_LINE,
                helper_organisation=branch,
                target_organisation=organisation,
                area=organisation,
                start_date=datetime.date(last - 1, 4, 1),
                content="资金、项目、技术、信息帮扶",
            )
        )
        if village.poor_household_ids:
            rows.append(
                UnitPairing(
                    kind=UnitPairing.Kind.MEMBER_PAIRING,
                    helper_organisation=branch,
                    target_household_id=village.poor_household_ids[0],
                    area=organisation,
                    start_date=datetime.date(last, 2, 1),
                    content="每年帮扶资金不少于500元",
                )
            )
    rows = batched_create(UnitPairing, rows)
    rng = ctx.rng("unit-records")
    records = []
    for index, pairing in enumerate(rows):
        for year in (last, this):
            for k in range(rng.randint(1, 3)):
                day = min(datetime.date(year, 3 + k * 3, 15), ctx.today)
                money = (
                    Decimal(rng.choice((200, 300, 500)))
                    if pairing.kind == UnitPairing.Kind.MEMBER_PAIRING
                    else 0
                )
                records.append(
                    UnitPairingRecord(
                        pairing=pairing,
                        date=day,
                        content=LINE_DEEDS[(index + k) % len(LINE_DEEDS)],
                        money=money,
                    )
                )
    batched_create(UnitPairingRecord, records)
    return len(rows)


def _points(ctx: ScaleContext) -> int:
    """Each village is a 联系点 of one of its township's first members (standing in for a leader)."""
    rng = ctx.rng("points")
    leaders: dict[int, int] = {}
    for village in ctx.villages:
        if village.member_ids:
            leaders.setdefault(village.township.pk, village.member_ids[0])
    points = [
        LiaisonPoint(
            leader_id=leaders[v.township.pk],
            organisation=v.organisation,
            started_on=datetime.date(ctx.today.year - 1, 1, 10),
            focus="集体经济发展",
        )
        for v in ctx.villages
        if v.township.pk in leaders
    ]
    points = batched_create(LiaisonPoint, points)
    contacts = []
    for point in points:
        month = datetime.date(ctx.today.year - 1, 1, 1)
        while month <= ctx.today:
            if rng.random() < 0.8:
                contacts.append(
                    LiaisonContact(
                        point=point,
                        date=min(month.replace(day=rng.randint(3, 26)), ctx.today),
                        method=rng.choice(LiaisonContact.Method.values[:3]),
                        content=rng.choice(CONTACT_TOPICS),
                    )
                )
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    batched_create(LiaisonContact, contacts)
    return len(points)


def _posts(ctx: ScaleContext) -> int:
    rng = ctx.rng("posts")
    posts = batched_create(
        Post,
        (
            Post(organisation=v.organisation, name=n, responsibilities=r)
            for v in ctx.villages
            for n, r in STANDARD_POSTS
        ),
    )
    by_village: dict[int, list[Post]] = {}
    for post in posts:
        by_village.setdefault(post.organisation_id, []).append(post)
    assignments = []
    for village in ctx.villages:
        catalogue = by_village[village.organisation.pk]
        for index, member in enumerate(village.member_ids):
            if rng.random() < 0.6:
                assignments.append(
                    PostAssignment(
                        post=catalogue[index % len(catalogue)],
                        member_id=member,
                        source=PostAssignment.Source.CHOSEN,
                        duties=f"负责{village.organisation.short_name}联系群众",
                        start_date=datetime.date(2022, 3, 1),
                    )
                )
    batched_create(PostAssignment, assignments)
    return len(posts)
