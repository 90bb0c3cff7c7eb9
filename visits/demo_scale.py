"""The visits app's part of the district-sized data set (`seed_demo --scale district`)."""

from __future__ import annotations

from liaison.demo.scale import ScaleContext


def seed_scale(ctx: ScaleContext) -> str | None:
    from visits.compliance import demo_scale as compliance

    return compliance.seed_scale(ctx)
