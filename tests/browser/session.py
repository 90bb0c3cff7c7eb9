"""Logging in and out the way a user does, for every browser journey."""

from __future__ import annotations

PASSWORD = "pw-12345!"


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def open_user_menu(page) -> None:
    """The user menu (修改密码, 退出) sits behind the name in the navbar; on a phone, behind 菜单 too."""
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
    page.locator("#user-menu").click()


def log_out(page) -> None:
    open_user_menu(page)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")
