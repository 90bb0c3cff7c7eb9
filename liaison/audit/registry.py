"""Which models are audited, and with which options: one place for every domain app."""

from __future__ import annotations

from django.apps import AppConfig
from django.db import models

# Models that are deliberately not on the audit trail, each with the reason. Everything else in a
# domain app is registered by `register_app_models` and checked by tests/test_audit_registry.py.
NOT_AUDITED: dict[str, str] = {
    "liaison.submission": "创建表单的一次性令牌（防重复提交），记录的是提交本身，不是业务数据",
    "liaison.accesslog": "访问日志本身只增不改（修改、删除即报错），再记一遍只会重复",
    "liaison.organisationtotals": "统计数：由户和家庭成员的每次保存重新计数得出，数字本身不是业务记录",
    "liaison.organisationtagtotal": "统计数：由户和标签的每次保存重新计数得出，数字本身不是业务记录",
    "liaison.sequence": "编号计数器：每登记一件意见就加一，号码本身记录在被编号的记录上",
    "feedback.opinionevent": "意见的办理记录本身就是只增不改的历史，由办理服务写入",
    "liaison.job": "后台任务的进度和文件：每秒更新进度，不是业务数据；下载文件记入访问日志",
    "feedback.reminder": "提醒发送记录：只增不改，防止同一提醒重复发送的系统台账",
    "commitments.commitmentevent": "承诺的办理记录本身就是只增不改的历史，由承诺服务写入",
}

# Columns the application derives from other columns on every save (pinyin initials, sort keys,
# timestamps: the entry has its own) or that change on their own (last login): logging them would only add noise.
DERIVED_FIELDS: tuple[str, ...] = (
    "head_initials",
    "name_initials",
    "reporter_initials",
    "sort_key",
    "household_sort_key",  # a pairing's copy of its household's (members.pairing_place)
    "created_at",
    "updated_at",
    "last_login",
    "version",  # the optimistic-locking counter: +1 on every save
)
# Never copied into the trail at all, not even masked.
SECRET_FIELDS: tuple[str, ...] = ("password",)


def is_excluded(model: type[models.Model]) -> bool:
    return model._meta.label_lower in NOT_AUDITED


def register_app_models(app_config: AppConfig) -> list[type[models.Model]]:
    """Register every concrete model of `app_config` with auditlog, except those in NOT_AUDITED.

    Many-to-many fields with an automatic through table (a household's tags) are logged as changes of
    the record that holds them; explicit through models are models of their own and registered here.
    """
    from auditlog.registry import auditlog

    registered = []
    for model in app_config.get_models():
        if model._meta.abstract or model._meta.proxy or is_excluded(model) or auditlog.contains(model):
            continue
        m2m = [
            field.name
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
        field_names = {field.name for field in model._meta.concrete_fields}
        auditlog.register(
            model,
            exclude_fields=[name for name in (*DERIVED_FIELDS, *SECRET_FIELDS) if name in field_names],
            m2m_fields=m2m,
        )
        if model._meta.label_lower in PARENTS and not hasattr(model, "get_additional_data"):
            # auditlog stores what get_additional_data returns with every entry of the model.
            model.get_additional_data = _additional_data
        registered.append(model)
    return registered


# A record shown on its parent's page carries the parent in its entries' additional_data, so the
# parent's history still finds it after the record itself is gone (a resident removed from a household).
# label → (parent label, function giving the parent's pk without a query where the FK is cached).
PARENTS: dict[str, tuple[str, str]] = {
    "liaison.resident": ("liaison.household", "household_id"),
    "members.pairingmember": ("members.pairing", "pairing_id"),
    "members.position": ("members.partymember", "member_id"),
    "members.unitpairingrecord": ("members.unitpairing", "pairing_id"),
    "members.liaisoncontact": ("members.liaisonpoint", "point_id"),
    "members.postassignment": ("members.post", "post_id"),
    "members.postreport": ("members.post", "assignment.post_id"),
    "feedback.assignment": ("feedback.opinion", "opinion_id"),
    "feedback.urge": ("feedback.opinion", "opinion_id"),
    "feedback.extension": ("feedback.opinion", "opinion_id"),
    "feedback.caseownership": ("feedback.opinion", "opinion_id"),
    "feedback.transfer": ("feedback.opinion", "opinion_id"),
    "visits.visitmember": ("visits.visit", "visit_id"),
    "commitments.comment": ("commitments.commitment", "commitment_id"),
    "commitments.vote": ("commitments.commitment", "commitment_id"),
    "commitments.progressnote": ("commitments.commitment", "commitment_id"),
    "commitments.assessmenttally": ("commitments.assessment", "assessment_id"),
}


def parent_key(label: str, pk: object) -> str:
    """The value stored under additional_data["parent"]: "liaison.household:42"."""
    return f"{label}:{pk}"


def parent_data(obj: models.Model) -> dict | None:
    parent = PARENTS.get(obj._meta.label_lower)
    if parent is None:
        return None
    label, path = parent
    value: object = obj
    for attr in path.split("."):
        value = getattr(value, attr, None)
        if value is None:
            return None
    return {"parent": parent_key(label, value)}


def _additional_data(self) -> dict | None:
    return parent_data(self)
