"""The visits app's part of the district-sized data set (`seed_demo --scale district`)."""

from __future__ import annotations

from liaison.demo.scale import ScaleContext


def seed_scale(ctx: ScaleContext) -> str | None:
    """Visits first (a year of them, DESIGN.md: 1 M a year for 400,000 households), then the compliance
    records, whose 民情分析会 discuss the month's visits."""
    from visits.compliance import demo_scale as compliance
    from visits.visits_scale import seed_visits

    return "\n".join(line for line in (seed_visits(ctx), compliance.seed_scale(ctx)) if line)
