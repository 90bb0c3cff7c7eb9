"""The compliance engine: every rule of the regulations that holds someone to a number, evaluated for
an organisation's subtree and a year, with SQL aggregates grouped by organisation.

    from liaison.compliance import evaluate, summary_by_organisation

    evaluation = evaluate(township, 2026)          # Evaluation: .results, .summary
    for result in evaluation.results:             # RuleResult
        result.code, result.label, result.source  # QuotaRule code, 中文 label, seed citation
        result.required, result.done, result.rate # rate: Decimal percent (half up, 0.1) or None
        result.status                             # "met" | "at_risk" | "missed" (core.status)
        result.shortfalls                         # lazy, paginatable: Shortfall(name, …, url)

    summary_by_organisation(townships, 2026)      # {org id: Summary(met, total, rate)}

    by_unit_kind(evaluation.context)              # the unit rules per kind of unit (unit_kinds.py)

Users: the dashboard (`/`, liaison/views/general.py and its compliance fragment) and the reports
(`liaison/reports/`: the annual workbook's 总表 and township sheets call summary_by_organisation for
the townships and villages, and evaluate for the details). The numbers are the QuotaRule rows in
force on 31 December of the year (liaison/quotas.py; a locality's own rule where it has one), or an
app's rules.py constant where no row exists. Each app's rule is one entry of `registry.RULES`,
registered by its module in liaison/compliance/rules/ — the one place (with the dashboard and the
reports) where liaison imports the apps (DESIGN.md).
"""

from liaison.compliance.core import AT_RISK, MET, MISSED, STATUS_LABELS, Counts, Shortfall, Shortfalls
from liaison.compliance.engine import Evaluation, RuleResult, Summary, evaluate, summary_by_organisation
from liaison.compliance.registry import RULES, Rule
from liaison.compliance.rules import commitments, feedback, members, visits  # noqa: F401 - registers
from liaison.compliance.unit_kinds import KindRow, by_unit_kind, unit_kind_table

__all__ = [
    "AT_RISK",
    "MET",
    "MISSED",
    "RULES",
    "STATUS_LABELS",
    "Counts",
    "Evaluation",
    "KindRow",
    "Rule",
    "RuleResult",
    "Shortfall",
    "Shortfalls",
    "Summary",
    "by_unit_kind",
    "evaluate",
    "summary_by_organisation",
    "unit_kind_table",
]
