"""The analytics reports in the Wagtail admin: who may open which, what they show, their downloads, and their
query counts (equal for a small and a large class)."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services import record_evidence
from tests.factories import EnrolmentFactory, UserFactory, outcome

pytestmark = pytest.mark.django_db

ALIGNMENT, ATTAINMENT, TERMS, DEMAND = (
    reverse("analytics_alignment"),
    reverse("analytics_attainment"),
    reverse("analytics_terms"),
    reverse("analytics_demand"),
)
COHORT_REPORTS = [ATTAINMENT, TERMS, DEMAND]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def cohort_url(report: str, cohort, **extra) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"cohort": cohort.pk, **extra}.items())
    return f"{report}?{query}"


# --- Who sees what -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("report", COHORT_REPORTS)
@pytest.mark.parametrize(
    ("who", "cohort", "status"),
    [
        ("class_teacher", "cohort", 200),
        ("class_teacher", "sister_cohort", 200),  # a colleague's class of the same programme
        ("class_teacher", "other_cohort", 404),  # another programme's class
        ("course_teacher", "cohort", 200),  # teaches a course of the programme
        ("colleague", "cohort", 200),
        ("other_teacher", "cohort", 404),
        ("other_teacher", "other_cohort", 200),
        ("mentor", "cohort", 302),  # not a teacher: Wagtail sends a refused admin user to the dashboard
        ("student", "cohort", 302),  # no admin access: the login page
        ("employer", "cohort", 302),
        (None, "cohort", 302),
    ],
)
def test_class_reports_answer_by_programme(analytics, report, who, cohort, status):
    user = getattr(analytics, who) if who else None
    response = client_for(user).get(cohort_url(report, getattr(analytics, cohort)))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "programme", "status"),
    [
        ("class_teacher", "programme", 200),
        ("course_teacher", "programme", 200),
        ("class_teacher", "other_programme", 404),
        ("other_teacher", "programme", 404),
        ("mentor", "programme", 302),
        ("student", "programme", 302),
        (None, "programme", 302),
    ],
)
def test_the_alignment_matrix_answers_by_programme(analytics, who, programme, status):
    user = getattr(analytics, who) if who else None
    response = client_for(user).get(f"{ALIGNMENT}?programme={getattr(analytics, programme).pk}")
    assert response.status_code == status


def test_an_administrator_sees_every_programme(analytics):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    page = BeautifulSoup(client_for(admin).get(ALIGNMENT).content, "html.parser")
    options = [option.get_text(strip=True) for option in page.select("select#id_subject option")]
    assert options == ["Cross-border e-commerce", "Logistics"]


def test_the_class_chooser_offers_only_the_teachers_programmes_classes(analytics):
    page = BeautifulSoup(client_for(analytics.class_teacher).get(ATTAINMENT).content, "html.parser")
    options = [option.get_text(strip=True) for option in page.select("select#id_subject option")]
    assert options == ["Cross-border e-commerce · Class A", "Cross-border e-commerce · Class B"]


def test_a_teacher_without_a_programme_is_told_so(analytics):
    lonely = UserFactory(username="lonely", roles=["Teachers"])
    response = client_for(lonely).get(DEMAND)
    assert response.status_code == 200
    assert "You do not teach in any programme yet" in response.content.decode()


def test_a_bad_subject_is_404(analytics):
    assert client_for(analytics.class_teacher).get(f"{ATTAINMENT}?cohort=abc").status_code == 404


# --- What the pages show -------------------------------------------------------------------------------------------


def test_the_attainment_page_draws_the_heat_map_and_tabulates_the_distribution(analytics):
    page = BeautifulSoup(
        client_for(analytics.class_teacher).get(cohort_url(ATTAINMENT, analytics.cohort)).content, "html.parser"
    )
    assert page.select_one("#heat-map-section svg.heat-map") is not None
    rows = {
        row.th.get_text(" ", strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("#distribution-section table tbody tr")
    }
    assert rows["TRADE Cross-border trade"] == ["1", "0", "1", "1", "1", "50%", "2.25"]
    assert rows["COMM Buyer communication"] == ["2", "0", "1", "1", "0", "25%", "1.25"]
    assert rows["DATA Data analysis"] == ["4", "0", "0", "0", "0", "0%", "0"]


def test_the_demand_page_ranks_the_gaps_and_links_what_builds_them(analytics):
    page = BeautifulSoup(
        client_for(analytics.class_teacher).get(cohort_url(DEMAND, analytics.cohort)).content, "html.parser"
    )
    rows = page.select("#gaps-section table tbody tr")
    assert [row.th.get_text(" ", strip=True) for row in rows] == [
        "DATA Data analysis",
        "COMM Buyer communication",
        "TRADE Cross-border trade",
    ]
    assert [row.select("td")[0].get_text(strip=True) for row in rows] == ["40", "35", "22.5"]
    trade = rows[2]
    links = [a["href"] for a in trade.select("a")]
    assert reverse("wagtailadmin_pages:edit", args=[analytics.ec101.pk]) in links
    assert reverse("wagtailadmin_pages:edit", args=[analytics.listing.round_id]) in links
    assert "No course builds it" in rows[0].get_text()
    assert page.select_one("#gaps-section svg[role=img]") is not None


def test_the_terms_page_compares_the_chosen_terms(analytics):
    response = client_for(analytics.class_teacher).get(
        cohort_url(TERMS, analytics.cohort, first="2025a", second="2025s")
    )
    page = BeautifulSoup(response.content, "html.parser")
    rows = {
        row.th.get_text(" ", strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("#change-section table tbody tr")
    }
    assert rows["TRADE Cross-border trade"] == ["1.5", "2.25", "+0.75", "25%", "50%"]
    assert rows["COMM Buyer communication"] == ["0", "1.25", "+1.25", "0%", "25%"]


def test_the_alignment_page_shades_the_matrix_and_lists_the_gaps(analytics):
    page = BeautifulSoup(client_for(analytics.class_teacher).get(ALIGNMENT).content, "html.parser")
    rows = [row for row in page.select("#matrix-section table tbody tr") if row.select("td")]
    cells = [[cell.get_text(strip=True) for cell in row.select("td")] for row in rows]
    groups = [th.get_text(strip=True) for th in page.select("#matrix-section tr.alignment-matrix__group th")]
    assert groups == ["Platform courses", "Courses outside a track"]
    courses = [(th.a.get_text(strip=True), th["rowspan"]) for th in page.select("#matrix-section tbody th[rowspan]")]
    assert courses == [("EC101", "2"), ("EC102", "1")]
    assert cells == [["0.8", "not aligned", "not aligned"], ["not aligned", "not aligned", "0.6"], ["not aligned"] * 3]
    assert page.select_one("#matrix-section td.weight-4").get_text(strip=True) == "0.8"  # 0.6 < 0.8 ≤ 0.8
    assert page.select_one("#matrix-section td.weight-3").get_text(strip=True) == "0.6"
    assert "LO3" in page.select_one("#unassessed-section ul").get_text()
    assert "Speed" in page.select_one("#unaligned-section ul").get_text()
    assert "DATA" in page.select_one("#unbuilt-section ul").get_text()
    assert "Other contest" not in page.get_text()


def test_the_dashboard_panel_links_the_teachers_classes(analytics):
    page = BeautifulSoup(client_for(analytics.class_teacher).get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = page.select_one("#analytics-panel-section")
    text = panel.get_text(" ", strip=True)
    assert "Class A" in text and "Class B" not in text  # the teacher's own classes
    assert "1 outcome no competition assesses" in text


# --- Downloads -----------------------------------------------------------------------------------------------------


def test_the_demand_table_downloads_as_csv_with_the_figures(analytics):
    response = client_for(analytics.class_teacher).get(cohort_url(DEMAND, analytics.cohort, export="csv", table="gaps"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Rank", "Code", "Competency"]
    assert [(row[0], row[1], row[10]) for row in rows[1:]] == [
        ("1", "DATA", "40.0"),
        ("2", "COMM", "35.0"),
        ("3", "TRADE", "22.5"),
    ]


def test_the_class_table_downloads_as_xlsx_with_numbers(analytics):
    response = client_for(analytics.class_teacher).get(
        cohort_url(ATTAINMENT, analytics.cohort, export="xlsx", table="students")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Student number", "Student", "TRADE", "TRADE level")
    assert rows[1][:6] == ("20250001", "Student 1 Li", 4, "Exemplary", 3, "Proficient")
    assert rows[4][:6] == ("20250004", "Student 4 Li", None, None, None, None)  # s4: nothing attained


@pytest.mark.parametrize("query", ["export=pdf&table=gaps", "export=csv&table=nope"])
def test_an_unknown_download_is_404(analytics, query):
    response = client_for(analytics.class_teacher).get(f"{cohort_url(DEMAND, analytics.cohort)}&{query}")
    assert response.status_code == 404


def test_another_programmes_class_cannot_be_downloaded(analytics):
    response = client_for(analytics.class_teacher).get(
        cohort_url(DEMAND, analytics.other_cohort, export="csv", table="gaps")
    )
    assert response.status_code == 404


# --- Query counts --------------------------------------------------------------------------------------------------


def grow(analytics, students: int, outcomes: int) -> None:
    """More students with evidence, and more outcomes aligned to the competencies."""
    for n in range(students):
        student = UserFactory(username=f"extra{n}")
        EnrolmentFactory(cohort=analytics.cohort, student=student, student_number=f"2025{100 + n:04d}")
        record_evidence(
            student=student,
            outcome=analytics.lo1,
            score=Decimal(1 + n % 4),
            done_on=date(2026, 3, 1),
            source_kind="course_assessment",
            source_title="Quiz",
            recorded_by=analytics.class_teacher,
        )
    for n in range(outcomes):
        outcome(course=analytics.ec102, code=f"X{n}", aligned=[(analytics.data, "1")])


def count_queries(url: str, user) -> int:
    client = client_for(user)
    client.get(url)  # warm caches (site root paths, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("report", [ATTAINMENT, TERMS, DEMAND, ALIGNMENT])
def test_query_counts_do_not_grow_with_the_class_or_the_curriculum(analytics, report):
    url = (
        cohort_url(report, analytics.cohort)
        if report != ALIGNMENT
        else f"{ALIGNMENT}?programme={analytics.programme.pk}"
    )
    small = count_queries(url, analytics.class_teacher)
    grow(analytics, students=20, outcomes=10)
    assert count_queries(url, analytics.class_teacher) == small
