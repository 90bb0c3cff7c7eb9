"""Domain apps add panels to backbone pages through liaison.panels, without liaison importing them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.panels import PanelRegistry, dashboard_panels, household_panels


def test_registry_skips_empty_panels_and_keeps_order(rf):
    registry = PanelRegistry()
    registry.register(lambda request: "<p>一</p>")
    registry.register(lambda request: None)
    registry.register(lambda request: "<p>二</p>")
    assert registry.render(rf.get("/")) == ["<p>一</p>", "<p>二</p>"]


@pytest.mark.django_db
def test_pages_render_registered_panels(client_for, clerk_a, household_a, monkeypatch, settings):
    settings.LIAISON_DASHBOARD_PANELS_INLINE = False
    monkeypatch.setattr(
        household_panels, "_panels", [lambda request, household: f"<p>帮扶人：{household.head_name}</p>"]
    )
    monkeypatch.setattr(dashboard_panels, "_panels", [lambda request: "<p>待办提醒</p>"])
    client = client_for(clerk_a)
    assert (
        f"帮扶人：{household_a.head_name}"
        in client.get(reverse("household-detail", args=[household_a.pk])).text
    )
    # the dashboard loads each panel after the page, by its own URL; ?full=1 renders them in it
    assert 'data-fragment="/dashboard/panels/0/"' in client.get(reverse("dashboard")).text
    assert "待办提醒" in client.get(reverse("dashboard-panel", args=[0])).text
    assert "待办提醒" in client.get(reverse("dashboard") + "?full=1").text
