"""The visits app's part of the demo district (seed_demo)."""

from __future__ import annotations

from liaison.demo.members import DrawnMembers
from liaison.models import Organisation


def seed(district: Organisation, drawn: DrawnMembers) -> str | None:
    from visits.compliance import demo as compliance

    return compliance.seed(district)
