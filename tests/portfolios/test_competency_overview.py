"""The competency overview include: radar, table, and on demand how each figure was calculated.

Evidence for ``school.student`` (the fixture's framework uses the mean on a 1/2/3(mastery)/4 scale):
- TRADE, through LO1 (aligned 1.0): 2 on 1 March, 4 on 1 April → mean (2·1 + 4·1) / (1 + 1) = 3.00, Proficient,
  mastered (3 ≥ 3).
- COMM, directly: 1 (weight 1) on 15 March, 4 (weight 0.5) on 1 May → (1·1 + 4·0.5) / (1 + 0.5) = 3 / 1.5 = 2.00,
  Developing, not mastered.
"""

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.urls import reverse

from courses.models import CalculationMethod
from courses.selectors import attainment_for_student
from courses.services import record_evidence
from portfolios.models import Visibility
from portfolios.selectors import CompetencyOverview
from portfolios.services import portfolio_for
from portfolios.templatetags.portfolio_tags import method_explanation

TEMPLATE = "portfolios/includes/competency_overview.html"


@pytest.fixture
def evidence(school):
    def record(score, done_on, title, *, url="", weight="1", kind="course_assessment", **target):
        return record_evidence(
            student=school.student,
            score=Decimal(score),
            done_on=done_on,
            source_kind=kind,
            source_title=title,
            source_url=url,
            weight=Decimal(weight),
            recorded_by=school.course_teacher,
            **target,
        )

    record("2", date(2026, 3, 1), "EC101 quiz", url="/courses/ec101/", outcome=school.lo1)
    record("4", date(2026, 4, 1), "EC101 listing project", outcome=school.lo1)
    record("1", date(2026, 3, 15), "Buyer email drill", competency=school.comm)
    record("4", date(2026, 5, 1), "Live-selling internship", weight="0.5", kind="internship", competency=school.comm)
    return record


def _overview(school, *, show_evidence=True, student=None):
    figures = attainment_for_student(
        student=student or school.student, framework=school.framework, explain=show_evidence
    )
    return CompetencyOverview(figures=figures, show_evidence=show_evidence)


def _render(overview) -> BeautifulSoup:
    return BeautifulSoup(render_to_string(TEMPLATE, {"overview": overview, "portfolio": None}), "html.parser")


def _row(soup, code):
    return next(row for row in soup.select("tr.competency-table__row") if code in row.th.get_text())


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_each_competency_reads_its_value_out_of_the_scale_maximum(school, evidence):
    soup = _render(_overview(school))
    assert _text(_row(soup, "TRADE").select_one(".competency-table__figure")) == "3.00 / 4"
    assert _text(_row(soup, "COMM").select_one(".competency-table__figure")) == "2.00 / 4"


def test_each_competency_names_its_level(school, evidence):
    soup = _render(_overview(school))
    assert _text(_row(soup, "TRADE").select_one(".competency-table__level")) == "Proficient"
    assert _text(_row(soup, "COMM").select_one(".competency-table__level")) == "Developing"


def test_only_a_competency_at_the_mastery_level_is_tagged_mastered(school, evidence):
    soup = _render(_overview(school))
    assert _text(_row(soup, "TRADE").select_one(".competency-table__mastered")) == "Mastered"
    assert _row(soup, "COMM").select_one(".competency-table__mastered") is None


def test_each_bar_marks_the_mastery_level(school, evidence):
    soup = _render(_overview(school))
    bar = _row(soup, "COMM").select_one("svg.measure-bar")
    assert bar.select_one(".measure-bar__fill")["width"] == "80.0"  # 2/4 of 160
    assert bar.select_one(".measure-bar__reference")["x1"] == "120.0"  # mastery 3/4 of 160
    assert "mastery level (3)" in _text(soup.select_one("caption.competency-table__caption"))


def test_each_competency_shows_its_industry_demand_weight(school, evidence):
    soup = _render(_overview(school))
    assert _text(_row(soup, "TRADE").select_one(".competency-table__demand")) == "80 / 100"
    assert _text(_row(soup, "COMM").select_one(".competency-table__demand")) == "40 / 100"


def test_the_radar_plots_the_figures_in_framework_order_against_mastery(school, evidence):
    # framework order: sort order, then code → COMM (2.00), TRADE (3.00)
    soup = _render(_overview(school))
    radar = soup.select_one("svg.radar")
    assert radar["data-values"] == "2,3"
    assert radar["role"] == "img"
    assert "Mastery level (3)" in radar.get_text()
    # the table, the text alternative, follows the chart
    assert radar.find_next("table")["class"] == ["data-table", "competency-table"]


def test_competencies_without_evidence_are_plotted_at_zero_and_read_not_yet_attained(school, evidence):
    soup = _render(_overview(school, student=school.other_student))
    assert soup.select_one("svg.radar")["data-values"] == "0,0"
    figures = [_text(node) for node in soup.select(".competency-table__figure")]
    assert figures == ["Not yet attained", "Not yet attained"]
    assert soup.select(".competency-table__mastered") == []


def test_the_method_and_the_evidence_rows_are_shown_when_evidence_may_be_shown(school, evidence):
    soup = _render(_overview(school, show_evidence=True))
    details = soup.select("details.calculation")
    assert len(details) == 2
    assert "How this was calculated" in _text(details[0].summary)
    assert _text(details[0].select_one(".calculation__method")).startswith("Mean: the mean of all evidence scores")
    comm = details[0]  # COMM comes first in framework order
    rows = [[_text(cell) for cell in row.find_all("td")] for row in comm.select("tr.evidence-table__row")]
    assert [row[1:] for row in rows] == [
        ["Buyer email drill (Course assessment)", "1.00", "1.00"],
        ["Live-selling internship (Internship or enterprise project)", "4.00", "0.50"],
    ]


def test_an_evidence_row_links_to_its_source(school, evidence):
    soup = _render(_overview(school))
    link = soup.select_one("details.calculation tr.evidence-table__row a")
    assert (link["href"], _text(link)) == ("/courses/ec101/", "EC101 quiz")


def test_an_evidence_source_that_is_not_a_web_address_is_not_linked(school, evidence):
    evidence("3", date(2026, 6, 1), "Odd source", url="javascript:alert(1)", competency=school.comm)
    soup = _render(_overview(school))
    assert not soup.select('a[href^="javascript"]')
    assert "Odd source" in soup.get_text()


def test_no_method_or_evidence_rows_when_evidence_may_not_be_shown(school, evidence):
    html = render_to_string(TEMPLATE, {"overview": _overview(school, show_evidence=False), "portfolio": None})
    assert "3.00 / 4" in html
    assert "How this was calculated" not in html
    assert "EC101 quiz" not in html
    assert "Mean:" not in html


def test_nothing_is_rendered_without_an_overview(school):
    assert render_to_string(TEMPLATE, {"overview": None, "portfolio": None}).strip() == ""


def test_a_student_without_a_framework_is_told_there_are_no_figures(school):
    soup = _render(CompetencyOverview(figures=[], show_evidence=False))
    assert soup.select_one("svg.radar") is None
    assert "no competency framework" in _text(soup.select_one(".empty-state"))


def test_weighted_latest_is_explained_with_its_parameter_and_produces_the_figure(school, evidence):
    school.framework.calculation_method = CalculationMethod.WEIGHTED_LATEST
    school.framework.save()
    soup = _render(_overview(school))
    # TRADE: latest day 4 (1 April), earlier mean 2 → 0.65·4 + 0.35·2 = 2.60 + 0.70 = 3.30
    assert _text(_row(soup, "TRADE").select_one(".competency-table__figure")) == "3.30 / 4"
    assert _text(soup.select_one(".calculation__method")).startswith(
        "Weighted latest, w = 0.65: 0.65 × latest + 0.35 × mean of earlier evidence"
    )


def test_mastered_n_times_is_explained_with_n_and_the_mastery_level(school):
    school.framework.calculation_method = CalculationMethod.N_TIMES_MASTERY
    school.framework.method_parameter = Decimal("2")
    school.framework.save()
    figure = attainment_for_student(student=school.student, framework=school.framework)[0]
    assert method_explanation(figure).startswith(
        "Mastered n times, n = 2: the mean of the scores at or above the mastery level (3) once there are at least 2"
    )


def test_decaying_average_is_explained_with_d_and_its_complement(school):
    school.framework.calculation_method = CalculationMethod.DECAYING_AVERAGE
    school.framework.method_parameter = Decimal("0.4")
    school.framework.save()
    figure = attainment_for_student(student=school.student, framework=school.framework)[0]
    assert "D = 0.6 × D before + 0.4 × score" in method_explanation(figure)  # 1 − 0.4 = 0.6


def test_rendering_the_overview_runs_no_queries(school, evidence, django_assert_num_queries):
    overview = _overview(school)
    with django_assert_num_queries(0):
        render_to_string(TEMPLATE, {"overview": overview, "portfolio": None})


def test_the_owner_sees_the_radar_and_the_evidence_on_their_portfolio_page(client, school, evidence):
    page = portfolio_for(student=school.student)
    client.force_login(school.student)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.select_one("svg.radar")["data-values"] == "2,3"
    assert "EC101 quiz" in soup.select_one("section.competency-overview").get_text()


def test_a_public_overview_shows_visitors_the_figures_but_not_the_evidence(client, school, evidence):
    page = portfolio_for(student=school.student)
    page.overview_visibility = Visibility.PUBLIC
    page.save()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    overview = soup.select_one("section.competency-overview")
    assert soup.select_one("svg.radar")["data-values"] == "2,3"
    assert "EC101 quiz" not in overview.get_text()
    assert overview.select("details") == []


def test_my_competencies_page_shows_the_same_overview(client, school, evidence):
    client.force_login(school.student)
    soup = BeautifulSoup(client.get(reverse("my_attainment")).content, "html.parser")
    assert soup.select_one("svg.radar")["data-values"] == "2,3"
    assert len(soup.select("details.calculation")) == 2
