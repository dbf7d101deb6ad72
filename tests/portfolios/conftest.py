"""A small school for portfolio tests.

- Framework (mean) on a 1/2/3(mastery)/4 scale with competencies TRADE (demand 80) and COMM (demand 40).
- Course "EC101" with outcome LO1 aligned to TRADE (1.0), taught by ``course_teacher``.
- Course "EC202" taught by ``other_course_teacher`` (who teaches nobody's class).
- Cohort "Class A" of the programme, class teacher ``class_teacher``; ``student`` and ``other_student`` enrolled.
- ``mentor`` (Enterprise mentors), ``employer`` (Employers), a portfolio index page under the home page.
"""

from datetime import date

import pytest

from courses.models import CourseTeacher
from portfolios.models import ArtefactKind, PortfolioIndexPage, Visibility
from portfolios.services import ArtefactInput, request_review, save_artefact, set_visibility
from tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FrameworkFactory,
    ProgrammeFactory,
    UserFactory,
    course_index,
    course_page,
    outcome,
    site_home,
)


@pytest.fixture
def school(db):
    framework = FrameworkFactory(name="CBEC framework")
    trade = CompetencyFactory(framework=framework, code="TRADE", name="Trade knowledge", demand_weight=80)
    comm = CompetencyFactory(framework=framework, code="COMM", name="Buyer communication", demand_weight=40)
    programme = ProgrammeFactory(framework=framework)
    index = course_index(programme=programme)
    course = course_page(index=index, code="EC101", title="Cross-border e-commerce basics")
    other_course = course_page(index=index, code="EC202", title="Platform operations")
    lo1 = outcome(course=course, code="LO1", aligned=[(trade, "1.0")])
    course_teacher = UserFactory(username="course.teacher", first_name="老师", last_name="课", roles=["Teachers"])
    other_course_teacher = UserFactory(username="other.teacher", roles=["Teachers"])
    CourseTeacher.objects.create(course=course, user=course_teacher)
    CourseTeacher.objects.create(course=other_course, user=other_course_teacher)
    class_teacher = UserFactory(username="class.teacher", roles=["Teachers"])
    cohort = CohortFactory(programme=programme, name="Class A")
    cohort.teachers.add(class_teacher)
    student = UserFactory(username="2024000001", first_name="小红", last_name="陈", roles=["Students"])
    other_student = UserFactory(username="2024000002", first_name="小刚", last_name="张", roles=["Students"])
    EnrolmentFactory(cohort=cohort, student=student)
    EnrolmentFactory(cohort=cohort, student=other_student)
    mentor = UserFactory(username="mentor", first_name="伟", last_name="张", roles=["Enterprise mentors"])
    employer = UserFactory(username="employer", first_name="洋", last_name="刘", roles=["Employers"])
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    home = site_home()
    portfolio_index = home.add_child(instance=PortfolioIndexPage(title="Portfolios", slug="portfolios"))
    return _School(**locals())


class _School:
    def __init__(self, **parts):
        self.__dict__.update(parts)


@pytest.fixture
def make_artefact(school):
    """``make_artefact(kind=..., student=..., **fields)`` saves an artefact through the service."""

    def make(*, kind: str = ArtefactKind.REFLECTION, student=None, file=None, **fields):
        fields.setdefault("title", "My reflection")
        fields.setdefault("done_on", date(2026, 5, 1))
        if kind == ArtefactKind.INTERNSHIP:
            fields.setdefault("enterprise", "Silk Road CBEC Ltd")
            fields.setdefault("mentor", school.mentor)
        if kind == ArtefactKind.COURSE_WORK:
            fields.setdefault("course", school.course)
        if kind == ArtefactKind.CERTIFICATE:
            fields.setdefault("issuer", "1+X Cross-border E-commerce")
            fields.setdefault("certificate_number", "X-2026-0001")
        if kind == ArtefactKind.PRACTICE:
            fields.setdefault("platform", "TikTok Shop")
        fields.setdefault("competencies", [school.trade])
        return save_artefact(student=student or school.student, kind=kind, data=ArtefactInput(**fields), file=file)

    return make


@pytest.fixture
def levels(school):
    """The school's scale levels by points: ``levels[3]`` is "Proficient" (mastery)."""
    return {int(level.points): level for level in school.framework.scale.levels_by_points}


@pytest.fixture
def send_for_review(school):
    """``send_for_review(artefact)`` lets reviewers see the artefact and asks for a review, as its owner."""

    def send(artefact, *, student=None):
        owner = student or artefact.portfolio.student
        set_visibility(artefact=artefact, student=owner, visibility=Visibility.REVIEWERS)
        return request_review(artefact=artefact, student=owner)

    return send
