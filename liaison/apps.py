from __future__ import annotations

from auditlog.apps import AuditlogConfig as AuditlogAppConfig
from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django_tasks_db.apps import TasksAppConfig as TasksDatabaseAppConfig


class LiaisonConfig(AppConfig):
    default = True  # this module also holds AxesConfig
    name = "liaison"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from liaison.access import sessions  # noqa: F401 - stamps the login time on user_logged_in
        from liaison.admin_chinese import chinese_axes_records, chinese_permission_names
        from liaison.audit.registry import register_app_models

        register_app_models(self)
        # Every app's <app>/jobs.py registers its background job kinds (liaison.jobs.registry).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
        from liaison import totals

        totals.connect()
        from liaison.documents.pdf import warn_if_slow_font_subsetting

        warn_if_slow_font_subsetting()
        chinese_axes_records()
        post_migrate.connect(chinese_permission_names, dispatch_uid="liaison-chinese-permission-names")
        # The searches' lookups, `__pinyin` and `__part`, and their FTS5 indexes on SQLite
        # (liaison.text.sqlite_fts), checked after every migrate.
        import liaison.text.pinyin_index
        import liaison.text.short_search  # noqa: F401
        from liaison.text.sqlite_fts import ensure_indexes

        post_migrate.connect(ensure_indexes, sender=self, dispatch_uid="liaison-pinyin-index")


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (its own AppConfig has none)."""

    verbose_name = "登录保护"


class AuditlogConfig(AuditlogAppConfig):
    """django-auditlog under a Chinese name (the permission lists name its app)."""

    verbose_name = "操作记录"


class TasksDatabaseConfig(TasksDatabaseAppConfig):
    """django-tasks-db's queue table under a Chinese name (the permission lists name its app)."""

    verbose_name = "后台任务队列"

    def ready(self) -> None:
        super().ready()
        # Its model names itself in English; the permission lists and the admin show this name instead.
        model = self.get_model("DBTaskResult")
        model._meta.verbose_name = model._meta.verbose_name_plural = "队列记录"
