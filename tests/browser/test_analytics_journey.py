"""A teacher opens each analytics report from the dashboard of the demo site, in a real browser: the class's
heat map and distribution, the change between two terms, the industry-demand gap with a download, and the
alignment matrix with a drill-down to a course."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.test_teacher_journey import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_site() -> None:
    call_command("load_demo", stdout=io.StringIO())


def test_a_teacher_opens_every_report(page: Page, demo_site: None):
    log_in_to_admin(page, username="teacher")
    panel = page.locator("#analytics-panel-section")
    expect(panel).to_be_visible()

    # Class attainment: the heat map draws one row per student, the table one row per competency.
    panel.get_by_role("link", name="Attainment").first.click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/attainment/\?cohort=\d+$"))
    heat_map = page.locator("#heat-map-section svg.heat-map")
    expect(heat_map).to_be_visible()
    assert int(heat_map.get_attribute("data-rows")) > 0
    expect(page.locator("#distribution-section table tbody tr").first).to_be_visible()

    # Change between terms: choose the terms, and the table follows.
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Change between terms").click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/terms/"))
    page.locator("#id_first").select_option(index=0)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"first=\d{4}a"))
    expect(page.locator("#change-section svg[role=img]")).to_be_visible()

    # Industry-demand gap, largest first, and its table as CSV.
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Industry-demand gap").click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/demand/"))
    expect(page.locator("#gaps-section table tbody tr").first).to_be_visible()
    gaps = page.locator("#gaps-section table tbody tr td:nth-child(2)").all_inner_texts()
    figures = [float(text) for text in gaps]
    assert figures == sorted(figures, reverse=True) and figures
    with page.expect_download() as download:
        page.locator("#gaps-section").get_by_role("link", name=re.compile("CSV")).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Rank" and len(rows) == len(figures) + 1

    # Alignment matrix: the gaps are listed and a course opens in the page editor.
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Alignment matrix").click()
    expect(page).to_have_url(re.compile(r"/admin/analytics/alignment/"))
    expect(page.locator("#matrix-section table")).to_be_visible()
    expect(page.locator("#unbuilt-section")).to_be_visible()
    page.locator("#matrix-section tbody th a").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
