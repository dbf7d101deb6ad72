"""A teacher's journey through the public site and the Wagtail admin, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_admin_login_page_renders(page: Page):
    page.goto("/admin/login/")

    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
