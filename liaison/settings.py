"""Settings, read from the environment (DESIGN.md "Settings from the environment").

Nothing secret lives here: production sets SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS in the
environment. Without them the app runs as a local demo on SQLite.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境请在环境变量中设置 SECRET_KEY。")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "liaison.apps.AxesConfig",
    "csp",
    "liaison.apps.AuditlogConfig",
    "django_tasks",
    "liaison.apps.TasksDatabaseConfig",
    "liaison",
    "members",
    "visits",
    "feedback",
    "commitments",
    "liaison.reports.apps.ReportsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.access.caching.NoStoreMiddleware",
    "liaison.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liaison.access.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liaison.access.csp.HtmlCSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "liaison.access.middleware.AccessLogMiddleware",
    # Last, so it sees every view's response: bodiless 400/403/404/405 get the Chinese page.
    "liaison.http.ErrorPageMiddleware",
]
CSRF_FAILURE_VIEW = "liaison.views.errors.csrf_failure"

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.context_processors.region",
                "liaison.context_processors.menu",
            ],
        },
    },
]

# SQLite file in the project by default; PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several clerks save at once: wait for the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles a plan when its estimated cost is high; the scoped, OR-ed queries of a district
    # were estimated ~10× too high and spent 365 ms of a 397 ms dashboard compiling (issue #10).
    # These are short OLTP queries: no JIT.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "liaison.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language: every page, the admin included, in Chinese with Django's own zh_Hans translations,
# whatever language the browser asks for (no LocaleMiddleware: a browser set to English — Chromium
# on a CI machine, a secondhand laptop — must not turn the admin English).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# What Django 5.2 and django-axes leave untranslated (locale/zh_Hans/LC_MESSAGES/*.po, compiled .mo).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "liaison@localhost")

# Production hardening; `manage.py check --deploy` passes with DEBUG=0 behind HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Intranet host names cannot go on the browsers' public HSTS preload list, so preloading is opt-in
# and its deploy warning is silenced unless it is on.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; liaison/access/csp.py): nothing inline, nothing from elsewhere.
# The intranets are offline, so every script, style and font is vendored under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's icons (select arrows, check marks) are data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_AGE = 8 * 3600  # one working day from login; shared village-office computers
# ...and 30 minutes without a request end it too (liaison/access/sessions.py).
LIAISON_SESSION_IDLE_MINUTES = int(os.environ.get("LIAISON_SESSION_IDLE_MINUTES", "30"))
if not 1 <= LIAISON_SESSION_IDLE_MINUTES * 60 <= SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("LIAISON_SESSION_IDLE_MINUTES 应在 1 分钟到 SESSION_COOKIE_AGE 之间。")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},  # its "logger bridge initialized" on every job
    },
}

# --- The product's own settings (DESIGN.md) ---
# Printed on every form: "中共××区委组织部 印制".
LIAISON_REGION_NAME = os.environ.get("LIAISON_REGION_NAME", "重庆市巴南区")
# "calendar": statutory calendar days (民法典 第二百零一、二百零三条); "workdays": N working days.
LIAISON_DEADLINE_CALENDAR = os.environ.get("LIAISON_DEADLINE_CALENDAR", "calendar")
if LIAISON_DEADLINE_CALENDAR not in {"calendar", "workdays"}:
    raise ImproperlyConfigured("LIAISON_DEADLINE_CALENDAR 只能是 calendar 或 workdays。")
LIAISON_PAGE_SIZE = int(os.environ.get("LIAISON_PAGE_SIZE", "50"))
# The dashboard loads the apps' panels after the page, one request each (liaison/views/general.py), so
# the page stays within its query budget. True renders them in the page (as before issue 14): the test
# settings keep it while the apps' own dashboard tests still read their panels off "/".
LIAISON_DASHBOARD_PANELS_INLINE = env_bool("LIAISON_DASHBOARD_PANELS_INLINE", False)
# The most households one Excel export writes inside a request; more are a background job (issue 14).
# The district's 400,000 took 272 s on an idle machine (issue #10: ~0.7 ms a household with its
# residents), a township's 20,000 took 57 s on a loaded one (~2.9 ms): 8,000 stays under the 30 s a
# proxy waits even then.
LIAISON_EXPORT_MAX_HOUSEHOLDS = int(os.environ.get("LIAISON_EXPORT_MAX_HOUSEHOLDS", "8000"))
# The same for the member export: the district's 40,800 members took 27.7 s on a loaded machine
# (issue #10, ~0.7 ms a member with positions and pairings); 10,000 is about 7 s.
LIAISON_EXPORT_MAX_MEMBERS = int(os.environ.get("LIAISON_EXPORT_MAX_MEMBERS", "10000"))
# The same for the pairing export (结对帮扶): the district's 20,000 pairings took 97 s in one request
# (issue #10: ~5 ms a pairing with its members under load); 5,000 stays under the 30 s a proxy waits.
LIAISON_EXPORT_MAX_PAIRINGS = int(os.environ.get("LIAISON_EXPORT_MAX_PAIRINGS", "5000"))
# The same for the opinion list's export (/reports/opinions.xlsx): 20,000 opinions are a few seconds.
LIAISON_EXPORT_MAX_OPINIONS = int(os.environ.get("LIAISON_EXPORT_MAX_OPINIONS", "20000"))
# The annual workbook of a subtree up to this many households is made in the request (/reports/annual.xlsx);
# above it (a 镇街, the district) it is a background job. The /reports/ form always makes a job.
LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS = int(os.environ.get("LIAISON_ANNUAL_REPORT_MAX_HOUSEHOLDS", "3000"))
# A masked role (镇街管理员, 组织部) may search by a complete phone or ID number this many times an hour;
# more would let them guess the hidden digits of 138****1234 (liaison.access.privacy.number_search).
LIAISON_NUMBER_SEARCHES_PER_HOUR = int(os.environ.get("LIAISON_NUMBER_SEARCHES_PER_HOUR", "30"))

# django-axes first (it refuses locked-out logins), then ModelBackend plus the role's permissions
# (liaison/access/roles.py), answered without a query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "liaison.access.roles.RoleBackend"]

# Failed logins: a whole village office shares one public IP, so lock the pair (username, IP) and
# never the office: 5 wrong passwords lock that account from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and, whatever the addresses, an account after this many failures within the cool-off: a guesser
# spread over many addresses gets 20 tries, not 5 per address (liaison/access/lockout.py).
LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_HANDLER = "liaison.access.lockout.LiaisonAxesHandler"
if LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT <= AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT 应大于 AXES_FAILURE_LIMIT（否则一个地址就能锁住账号）。"
    )
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command; lockouts are still logged
AXES_LOCKOUT_CALLABLE = "liaison.access.lockout.lockout_response"
# Behind the reverse proxy the client address is in X-Forwarded-For (set AXES_BEHIND_PROXY=1).
if env_bool("AXES_BEHIND_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Excel import: the most a workbook may unpack to, checked from its zip directory before parsing. The
# biggest legitimate import, 10,000 rows, unpacks to 6.5 MB; with every text column filled, 16 MB as
# openpyxl writes it with et_xmlfile and 24 MB with lxml (installed with pikepdf). 48 MB keeps twice
# that and stays far from the 200 MB that took 60 s and 484 MB.
LIAISON_IMPORT_MAX_UNPACKED_MB = int(os.environ.get("LIAISON_IMPORT_MAX_UNPACKED_MB", "48"))
if LIAISON_IMPORT_MAX_UNPACKED_MB < 1:
    raise ImproperlyConfigured("LIAISON_IMPORT_MAX_UNPACKED_MB 至少为 1。")
# The audit trail (liaison/audit/): django-auditlog, one LogEntry table for every domain model.
# Archived households and residents are hidden by their default manager; the trail must still read
# the old row when one of them is changed or restored, so it uses the base manager.
AUDITLOG_USE_BASE_MANAGER = True
AUDITLOG_CHANGE_DISPLAY_TRUNCATE_LENGTH = -1
# Behind the township's reverse proxy, the client's address is the last X-Forwarded-For entry.
LIAISON_BEHIND_PROXY = env_bool("LIAISON_BEHIND_PROXY", env_bool("AXES_BEHIND_PROXY", False))

# Retention (《个人信息保护法》第十九条: 保存期限应当为实现处理目的所必要的最短时间): archived households and
# residents (迁出, 死亡) are removed for good by the 组织部 only after this many years.
LIAISON_RETENTION_YEARS = int(os.environ.get("LIAISON_RETENTION_YEARS", "5"))

# Background jobs (liaison/jobs/): the Tasks API of Django 6 through the django-tasks backport. By default
# the database backend (django-tasks-db): the queue is a table in the same database, run by
# `manage.py jobs_worker`, so one machine needs no other server. LIAISON_TASKS_BACKEND=rq moves it to
# Redis (pip install django-tasks-rq; REDIS_URL; `manage.py rqworker --job-class django_tasks_rq.Job
# default`) with no change to the code.
LIAISON_TASKS_BACKEND = os.environ.get("LIAISON_TASKS_BACKEND", "database")
if LIAISON_TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif LIAISON_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
elif LIAISON_TASKS_BACKEND == "immediate":  # runs each job inside the request that starts it
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("LIAISON_TASKS_BACKEND 只能是 database、rq 或 immediate。")
# Finished files are kept this many days, then deleted (manage.py expire_job_files; each job also sweeps).
LIAISON_JOB_FILE_DAYS = int(os.environ.get("LIAISON_JOB_FILE_DAYS", "7"))
if LIAISON_JOB_FILE_DAYS < 1:
    raise ImproperlyConfigured("LIAISON_JOB_FILE_DAYS 至少为 1。")
# Where job files are kept (mode 0600, never served directly); empty: MEDIA_ROOT/jobs.
LIAISON_JOB_FILES_DIR = os.environ.get("LIAISON_JOB_FILES_DIR", "")
# A running job refreshes its heartbeat this often; one silent for LIAISON_JOB_STALE_SECONDS has lost
# its worker (killed, rebooted) and is shown as failed.
LIAISON_JOB_HEARTBEAT_SECONDS = int(os.environ.get("LIAISON_JOB_HEARTBEAT_SECONDS", "15"))
LIAISON_JOB_STALE_SECONDS = int(os.environ.get("LIAISON_JOB_STALE_SECONDS", "180"))
if LIAISON_JOB_HEARTBEAT_SECONDS and LIAISON_JOB_STALE_SECONDS < 3 * LIAISON_JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("LIAISON_JOB_STALE_SECONDS 至少为心跳间隔的 3 倍。")
