"""Every string a user can see is Chinese: the admin (Django's own translations, our verbose names, the
axes app) and the app's pages, scanned for English words. What may stay ASCII is listed, with why."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from liaison.models import User

pytestmark = pytest.mark.django_db

# ASCII words a Chinese user reads as they are, each with its reason.
ALLOWED = {
    "Excel",  # the program's name: "Excel 导入", "导出 Excel"
    "xlsx",  # the file type the clerk picks: "Excel 文件（.xlsx）"
    "PDF",  # the file type of every print
    "A4",  # the paper size printed on the forms
    "Cookie",  # the browser setting named in the CSRF page, as browsers name it
    "SHA",  # "SHA-256": the import log's file fingerprint, a technical name with no Chinese one
    "Ctrl",  # keys on the keyboard, named as printed on them (Django's zh_Hans help for multiple
    "Control",  # selection: "按住 Control，或者 Mac 上的 Command，可以选择多个。")
    "Command",
    "Mac",
    "zs",  # the pinyin examples in the search boxes: what the clerk types for 张三 (initials or full)
    "zhangsan",
    "LDAP",  # a sign-on protocol, named so in Django's own zh_Hans help on the user form
    "IP",  # "IP 地址": the login-protection records, as every Chinese network form says it
    "GET",  # "GET 参数": a technical field of the login-protection records, read only by the superuser
}
WORD = re.compile(r"[A-Za-z]{2,}")


class _Text(HTMLParser):
    """Text a user reads: element text, titles, placeholders, button values, alt/aria labels."""

    # Not UI text: code, and data shown as it is stored — <bdi> holds the password hash's algorithm and
    # digest, and the admin's 代码 column an organisation's or rule's code (bn, js-gh, reception-…).
    SKIP = {"script", "style", "template", "code", "pre", "bdi"}
    DATA_CELLS = {"field-code", "field-username", "field-path_info", "field-user_agent"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = tag in self.SKIP or bool(set((a.get("class") or "").split()) & self.DATA_CELLS)
        if tag not in ("input", "img", "br", "hr", "meta", "link", "option"):
            self._stack.append(skip)
        if skip:
            self._skip += 1
        if self._skip:
            return
        # Django's boolean icons say True/False in alt text, under a visible ✔/✘ icon.
        names = ("title", "placeholder", "aria-label") + (() if "icon-" in (a.get("src") or "") else ("alt",))
        for name in names:
            if a.get(name):
                self.parts.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("input", "img", "br", "hr", "meta", "link", "option") or not self._stack:
            return
        if self._stack.pop() and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"[\w.+-]+@[\w.-]+", " ", text)  # e-mail addresses are data
    text = re.sub(r"\b\d{17}[\dXx]\b", " ", text)  # ID numbers end in X
    text = text.replace("<unknown>", " ")  # axes' path of a login made without a request (the test's)
    return {w for w in WORD.findall(text) if w not in ALLOWED}


@pytest.fixture
def superuser(tree):
    # A Chinese username: usernames are data, and the scan reads every page the superuser sees.
    return User.objects.create_superuser(
        "管理员", "root@example.cn", "pw-12345!", organisation=tree["district"]
    )


@pytest.fixture
def records(clerk_a, household_a):
    """A row in every list that has one to show, so column headers are scanned too."""
    from feedback.tests.factories import register

    register(clerk_a, reporter_name="王喆")


def admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
        if admin.site._registry[model].has_add_permission(_FakeRequest()):
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return sorted(set(urls))


class _FakeRequest:
    class user:
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


def test_admin_pages_are_chinese(client, superuser, records):
    client.force_login(superuser)
    found: dict[str, set[str]] = {}
    for url in admin_urls():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, url
        words = english_words(response.content.decode())
        if words:
            found[url] = words
    assert not found, found


def test_admin_change_pages_are_chinese(client, superuser, records):
    client.force_login(superuser)
    found = {}
    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        words = english_words(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        if words:
            found[url] = words
    assert not found, found


def test_app_pages_are_chinese_whatever_the_browser_asks(client_for, org_dept, clerk_a, household_a):
    found = {}
    for user in (clerk_a, org_dept):
        client = client_for(user)
        for url in (
            reverse("dashboard"),
            reverse("household-list"),
            reverse("household-detail", args=[household_a.pk]),
            reverse("household-create"),
            reverse("member-list"),
            reverse("pairing-list"),
            reverse("opinion-list"),
            reverse("opinion-register"),
            reverse("calendar-list"),
            reverse("quota-list"),
            reverse("import-home"),
            "/no-such-page/",
        ):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
            if response.status_code == 403:
                continue
            words = english_words(response.content.decode())
            if words:
                found[(user.username, url)] = words
    assert not found, found
