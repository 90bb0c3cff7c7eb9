"""转报上级: a category-2 opinion moves up; the level above signs for it and its 20 days run from then.

004 “1234”制度 三: 属上一级党组织工作职责范围解决的问题，上一级党组织应在收到反映问题之日起20天内办结.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from feedback import selectors, services
from feedback.models import EventKind, Opinion, Transfer
from feedback.rules import Category
from feedback.selectors import deadline_board
from feedback.services.common import NOT_OWNER, TRANSFERRED_AWAY, StaleOpinion
from feedback.services.transfers import (
    NO_LEVEL_ABOVE,
    NOT_RECEIVER,
    ONLY_CATEGORY_2,
    RESPONSIBLE_NOT_IN_HOLDER,
)
from feedback.states import CLOSED_READ_ONLY, State
from feedback.tests.conftest import MARCH_3
from feedback.tests.factories import answer, at, feed_back, refreshed, register
from tests.pdf_utils import pdf_text, response_bytes

D = datetime.date
pytestmark = pytest.mark.django_db
SENT = D(2026, 3, 5)
SIGNED = D(2026, 3, 6)  # a Friday; +20 days → Thursday 26 March, a working day
UPPER_DUE = D(2026, 3, 26)


def transfer(user, opinion: Opinion, *, on: datetime.date = SENT, note: str = "涉及跨村道路，属镇职责"):
    opinion = refreshed(opinion)
    return services.opinion_transfer(
        user=user, opinion=opinion, version=opinion.version, note=note, transferred_on=on, now=at(on)
    )


def accept(user, opinion: Opinion, *, on: datetime.date = SIGNED, responsible=None):
    opinion = refreshed(opinion)
    return services.transfer_accept(
        user=user,
        opinion=opinion,
        version=opinion.version,
        received_on=on,
        responsible=responsible or user,
        now=at(on, 11),
    )


@pytest.fixture
def upper(clerk_a):
    """A category-2 opinion of 桂花村, received 3 March (its own 20 days: 23 March)."""
    return register(clerk_a, received_on=MARCH_3, category=Category.UPPER)


class TestTransfer:
    def test_moves_up_with_a_note_and_a_history_event(self, clerk_a, upper, tree):
        sent = transfer(clerk_a, upper)
        opinion = refreshed(upper)
        assert opinion.state == State.TRANSFERRED
        assert opinion.holder == tree["township"] and opinion.organisation == tree["village_a"]
        assert (sent.from_organisation, sent.to_organisation) == (tree["village_a"], tree["township"])
        assert sent.previous_due_date == D(2026, 3, 23) and sent.received_on is None
        event = opinion.events.order_by("-id").first()
        assert event.kind == EventKind.TRANSFER
        assert (event.from_state, event.to_state) == (State.REGISTERED, State.TRANSFERRED)
        assert "转报界石镇" in event.note and "本级办理时限 2026-03-23" in event.note
        assert "涉及跨村道路" in event.note
        # the due date does not move until the level above signs for it
        assert opinion.due_date == D(2026, 3, 23)

    @pytest.mark.parametrize("category", [Category.OWN, Category.UNSOLVABLE, Category.SEVERAL_UNITS])
    def test_only_category_2(self, clerk_a, category):
        opinion = register(clerk_a, received_on=MARCH_3, category=category)
        with pytest.raises(ValidationError) as caught:
            transfer(clerk_a, opinion)
        assert caught.value.messages == [ONLY_CATEGORY_2.format(category=Category(category).label)]
        assert refreshed(opinion).state == State.REGISTERED and not Transfer.objects.exists()

    def test_no_level_above_the_district(self, org_dept, tree):
        opinion = register(org_dept, tree["district"], received_on=MARCH_3, category=Category.UPPER)
        with pytest.raises(ValidationError) as caught:
            transfer(org_dept, opinion)
        assert caught.value.messages == [NO_LEVEL_ABOVE.format(organisation="巴南区")]
        assert refreshed(opinion).holder is None

    def test_closed_opinion_refused(self, clerk_a, upper):
        answer(clerk_a, upper, on=D(2026, 3, 4))
        feed_back(clerk_a, upper, on=D(2026, 3, 5))
        with pytest.raises(ValidationError) as caught:
            transfer(clerk_a, upper)
        assert caught.value.messages == [CLOSED_READ_ONLY]

    def test_stale_save_refused(self, clerk_a, upper):
        stale_version = upper.version
        services.opinion_update(
            user=clerk_a, opinion=upper.pk, version=upper.version, remarks="补充", now=at(SENT)
        )
        with pytest.raises(StaleOpinion):
            services.opinion_transfer(
                user=clerk_a,
                opinion=upper.pk,
                version=stale_version,
                note="属镇",
                transferred_on=SENT,
                now=at(SENT),
            )
        assert not Transfer.objects.exists()

    def test_twice_refused_while_waiting(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        with pytest.raises(PermissionDenied):  # the one below has handed it over
            transfer(clerk_a, upper)
        with pytest.raises(ValidationError) as caught:  # the one above must sign first
            transfer(township_secretary, upper)
        assert caught.value.messages == ["该意见已转报上级，正等待上级党组织签收。"]

    def test_note_required_and_not_before_receipt(self, clerk_a, upper):
        with pytest.raises(ValidationError) as caught:
            transfer(clerk_a, upper, note="  ")
        assert "note" in caught.value.error_dict
        with pytest.raises(ValidationError) as caught:
            transfer(clerk_a, upper, on=D(2026, 3, 2))
        assert "transferred_on" in caught.value.error_dict

    def test_another_village_cannot_transfer(self, clerk_b, upper):
        with pytest.raises(PermissionDenied, match=NOT_OWNER):
            transfer(clerk_b, upper)


class TestAccept:
    def test_own_receipt_and_twenty_days_from_it(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        accepted = accept(township_secretary, upper)
        opinion = refreshed(upper)
        assert opinion.state == State.REGISTERED
        assert opinion.holder_received_on == SIGNED
        # 004: 上一级党组织应在收到反映问题之日起20天内办结 — 6 March + 20 days, by rules.due_date
        assert (opinion.due_date, opinion.original_due_date) == (UPPER_DUE, UPPER_DUE)
        assert opinion.due_soon_from == D(2026, 3, 20)  # 30% of 20 days = 6 days before
        assert opinion.responsible == township_secretary and opinion.handler is None
        assert (accepted.received_on, accepted.due_date, accepted.previous_due_date) == (
            SIGNED,
            UPPER_DUE,
            D(2026, 3, 23),
        )
        event = opinion.events.order_by("-id").first()
        assert event.kind == EventKind.ACCEPT_TRANSFER
        assert (event.old_due_date, event.new_due_date) == (D(2026, 3, 23), UPPER_DUE)
        assert "界石镇于 2026-03-06 签收" in event.note and "桂花村原办理时限 2026-03-23" in event.note

    def test_boundary_on_the_twentieth_day(self, clerk_a, township_secretary, upper):
        """Due on the 20th day after the upper receipt: still on time that day, overdue the next."""
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        overdue = Opinion.objects.overdue
        assert not overdue(UPPER_DUE).filter(pk=upper.pk).exists()
        assert overdue(UPPER_DUE + datetime.timedelta(days=1)).filter(pk=upper.pk).exists()
        # by the first receipt it would have been overdue on 24 March; by the level above's it is not
        assert not overdue(D(2026, 3, 24)).filter(pk=upper.pk).exists()

    def test_the_one_below_cannot_sign(self, clerk_a, upper):
        transfer(clerk_a, upper)
        with pytest.raises(PermissionDenied) as caught:
            accept(clerk_a, upper)
        assert str(caught.value) == NOT_RECEIVER.format(organisation="界石镇")

    def test_responsible_from_the_level_above(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        with pytest.raises(ValidationError) as caught:
            accept(township_secretary, upper, responsible=clerk_a)
        assert caught.value.error_dict["responsible"][0].messages == [
            RESPONSIBLE_NOT_IN_HOLDER.format(organisation="界石镇")
        ]
        assert refreshed(upper).state == State.TRANSFERRED

    def test_not_before_the_transfer(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        with pytest.raises(ValidationError) as caught:
            accept(township_secretary, upper, on=D(2026, 3, 4))
        assert "received_on" in caught.value.error_dict

    def test_nothing_to_sign(self, township_secretary, upper):
        with pytest.raises(ValidationError) as caught:
            accept(township_secretary, upper)
        assert caught.value.messages == ["该意见当前为“已登记”，不能签收转报。"]

    def test_the_one_below_only_reads_afterwards(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        opinion = refreshed(upper)
        with pytest.raises(PermissionDenied) as caught:
            services.opinion_start(user=clerk_a, opinion=opinion.pk, version=opinion.version)
        assert str(caught.value) == TRANSFERRED_AWAY.format(holder="界石镇")
        with pytest.raises(PermissionDenied):
            services.opinion_update(user=clerk_a, opinion=opinion.pk, version=opinion.version, remarks="x")
        # the level above handles it through the existing loop
        answered = answer(township_secretary, opinion, on=D(2026, 3, 20))
        assert answered.state == State.ANSWERED

    def test_category_locked_after_transfer(self, clerk_a, township_secretary, upper):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        opinion = refreshed(upper)
        with pytest.raises(ValidationError) as caught:
            services.opinion_update(
                user=township_secretary, opinion=opinion.pk, version=opinion.version, category=1
            )
        assert "category" in caught.value.error_dict

    def test_township_transfers_on_to_the_district(self, clerk_a, township_secretary, org_dept, upper, tree):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        transfer(township_secretary, upper, on=D(2026, 3, 9))
        accept(org_dept, upper, on=D(2026, 3, 10))
        opinion = refreshed(upper)
        assert opinion.holder == tree["district"] and opinion.holder_received_on == D(2026, 3, 10)
        assert opinion.due_date == D(2026, 3, 30)
        steps = list(opinion.transfers.values_list("to_organisation__name", "received_on", "due_date"))
        assert steps == [("界石镇", SIGNED, UPPER_DUE), ("巴南区", D(2026, 3, 10), D(2026, 3, 30))]


class TestSeeing:
    def test_both_see_it_and_others_do_not(self, client_for, clerk_a, clerk_b, township_secretary, upper):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        url = reverse("opinion-detail", args=[upper.pk])
        below = client_for(clerk_a).get(url)
        assert below.status_code == 200
        html = below.content.decode()
        assert "已转报" in html and "承办经过" in html and "2026-03-06 签收" in html
        toolbar = html.split('role="toolbar"')[1].split("</div>")[0]
        assert "开始办理" not in toolbar and "编辑" not in toolbar  # the one below only reads
        above = client_for(township_secretary).get(url).content.decode()
        assert "开始办理" in above.split('role="toolbar"')[1].split("</div>")[0]
        assert client_for(clerk_b).get(url).status_code == 404
        for name in ("opinion-transfer", "opinion-transfer-accept"):
            assert client_for(clerk_b).get(reverse(name, args=[upper.pk])).status_code == 404

    def test_list_and_dashboard_below_say_transferred_until_answered(
        self, client_for, clerk_a, township_secretary, upper
    ):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        today = D(2026, 3, 27)  # past the upper due date: overdue for the township, not the village
        below = deadline_board(user=clerk_a, today=today)
        assert (below.overdue_count, below.transferred) == (0, 1)
        above = deadline_board(user=township_secretary, today=today)
        assert (above.overdue_count, above.transferred) == (1, 0)
        _, rows = selectors.opinion_list(user=clerk_a, filters={"transferred": "1"}, today=today)
        rows = selectors.annotate_deadlines(rows, today, clerk_a)
        assert [row.pk for row in rows] == [upper.pk] and rows[0].transferred_away
        html = client_for(clerk_a).get(reverse("opinion-list")).content.decode()
        assert "已转报" in html
        answer(township_secretary, upper, on=D(2026, 3, 20))
        assert deadline_board(user=clerk_a, today=today).transferred == 0
        rows = selectors.annotate_deadlines([refreshed(upper)], today, clerk_a)
        assert not rows[0].transferred_away

    def test_detail_queries_pinned(
        self, client_for, clerk_a, township_secretary, upper, django_assert_max_num_queries
    ):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        client = client_for(township_secretary)
        with django_assert_max_num_queries(30):
            assert client.get(reverse("opinion-detail", args=[upper.pk])).status_code == 200


class TestViews:
    def test_transfer_and_accept_through_the_pages(self, client_for, clerk_a, township_secretary, upper):
        client = client_for(clerk_a)
        page = client.get(reverse("opinion-detail", args=[upper.pk])).content.decode()
        assert reverse("opinion-transfer", args=[upper.pk]) in page
        response = client.post(
            reverse("opinion-transfer", args=[upper.pk]),
            {"version": upper.version, "transferred_on": "2026-03-05", "note": "属镇职责"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        opinion = refreshed(upper)
        assert opinion.state == State.TRANSFERRED
        above = client_for(township_secretary)
        page = above.get(reverse("opinion-detail", args=[upper.pk])).content.decode()
        assert reverse("opinion-transfer-accept", args=[upper.pk]) in page
        response = above.post(
            reverse("opinion-transfer-accept", args=[upper.pk]),
            {"version": opinion.version, "received_on": "2026-03-06", "responsible": township_secretary.pk},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert refreshed(upper).due_date == UPPER_DUE

    def test_category_1_refused_with_the_message_next_to_the_form(self, client_for, clerk_a):
        opinion = register(clerk_a, received_on=MARCH_3, category=Category.OWN)
        response = client_for(clerk_a).post(
            reverse("opinion-transfer", args=[opinion.pk]),
            {"version": opinion.version, "transferred_on": "2026-03-05", "note": "属镇职责"},
        )
        assert response.status_code == 200
        assert "只有二类意见" in response.content.decode()
        assert not Transfer.objects.exists()


class TestPrints:
    def test_feedback_slip_names_the_answering_organisation(
        self, client_for, clerk_a, township_secretary, upper
    ):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        answer(township_secretary, upper, on=D(2026, 3, 20))
        pdf = response_bytes(
            client_for(township_secretary).get(reverse("opinion-feedback-slip-pdf", args=[upper.pk]))
        )
        text = "".join(pdf_text(pdf).split())
        assert "转报界石镇办理" in text
        assert text.count("界石镇（单位盖章）") == 2  # both parts sealed by the one that answered
        assert "桂花村（单位盖章）" not in text

    def test_register_keeps_both_receipts_and_both_due_dates(
        self, client_for, clerk_a, township_secretary, upper
    ):
        transfer(clerk_a, upper)
        accept(township_secretary, upper)
        from feedback.exports import remarks

        opinion = selectors.register_queryset(
            user=clerk_a, organisation=upper.organisation, start=MARCH_3, end=MARCH_3
        ).get()
        assert (
            remarks(opinion)
            == "上一级（2类），时限 2026.03.23；2026.03.05转报界石镇，2026.03.06签收，时限 2026.03.26"
        )
        pdf = response_bytes(client_for(clerk_a).get(reverse("opinion-pdf", args=[upper.pk])))
        text = "".join(pdf_text(pdf).split())
        assert "时限2026.03.23" in text and "2026.03.06签收，时限2026.03.26" in text
