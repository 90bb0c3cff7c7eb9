"""Extension points: a domain app adds a panel to a backbone page without liaison importing it.

An app registers in its AppConfig.ready():

    from liaison.panels import household_panels
    household_panels.register(helpers_panel)   # helpers_panel(request, household) -> str | None

The page renders each panel's HTML in registration order. A panel does its own scoped queries and
returns None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., str | None]


class PanelRegistry:
    def __init__(self) -> None:
        self._panels: list[Panel] = []

    def register(self, panel: Panel) -> Panel:
        if panel not in self._panels:
            self._panels.append(panel)
        return panel

    def render(self, request, **context) -> list[SafeString]:
        rendered = (panel(request, **context) for panel in self._panels)
        return [mark_safe(html) for html in rendered if html]

    def __len__(self) -> int:
        return len(self._panels)

    def render_one(self, request, index: int, **context) -> SafeString | None:
        """Panel number `index` alone (the dashboard loads each after the page: its own request, its
        own queries); None when it has nothing to show. IndexError for a number not registered."""
        html = self._panels[index](request, **context)
        return mark_safe(html) if html else None


household_panels = PanelRegistry()  # household detail page: panel(request, household=…)
dashboard_panels = PanelRegistry()  # dashboard: panel(request)
# /public/ (no login): section(request, organisation=…) -> HTML; shows nothing of any resident or visitor
public_sections = PanelRegistry()
