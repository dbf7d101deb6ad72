"""One small school in which every role has its legitimate relationship to one student's things, and the walk
of the URL configuration that finds the project's own routes.

The world (built once per test module by ``tests/security/conftest.py``):

- ``owner`` (Students): enrolled in "Class A" of programme P; captain of team T in competition C, with one
  submission (a PDF) on task K; a portfolio with a draft reflection and a course-work artefact (with a PDF)
  waiting for review; transcript X (issued for the class by its teacher in batch B), granted to ``employer``
  and shared by a secret link; the portfolio is shared with ``employer``.
- ``other_student`` (Students): enrolled in "Class B" of another programme; no team, no portfolio yet.
- ``teacher`` (Teachers): class teacher of Class A, school teacher of course EC101, advisor of T, and organiser
  of C (page rights on the competitions index through a group of its own, so other teachers do not organise).
- ``other_teacher`` (Teachers): class teacher of Class B only.
- ``mentor`` (Enterprise mentors): enterprise mentor of EC101 and of team T.
- ``judge`` (Judges): on round R's panel, assigned to T's entry for K.
- ``employer`` (Employers): holds the owner's transcript grant and portfolio share.
- ``recruiter`` (Employers): no grant; the target of the owner's sharing forms.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from competitions.models import (
    CompetitionIndexPage,
    CompetitionPage,
    Criterion,
    CriterionAlignment,
    RoundJudge,
    RoundPage,
    Task,
)
from competitions.services.judging import assign_judge
from competitions.services.submissions import submit
from competitions.services.teams import create_team
from courses.models import CourseTeacher, TeacherRole
from courses.services import record_evidence
from lms.services import grant_course_section, sync_role_groups
from portfolios.models import ArtefactKind, PortfolioIndexPage, Transcript, Visibility
from portfolios.services import ArtefactInput, portfolio_for, request_review, save_artefact, share_with_employer
from portfolios.transcripts import services as transcript_services
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
from tests.upload_payloads import PDF

#: The packages whose views are the project's own; a route whose view lives elsewhere (Django, Wagtail) is not.
PROJECT_PACKAGES = ("lms", "competitions", "portfolios", "courses", "themes")

#: The columns of the matrix, in order. ``anonymous`` has no account.
ROLES = ("anonymous", "owner", "other_student", "teacher", "other_teacher", "mentor", "judge", "employer")


# --- The URL configuration -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself for a route without a name
    pattern: str
    module: str
    callback: object


def view_module(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    return (view_class or callback).__module__


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(name=name, pattern=pattern, module=view_module(entry.callback), callback=entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def project_routes() -> dict[str, Route]:
    """Every route whose view is one of the project's own, by name (namespaced). Names must be unique."""
    routes: dict[str, Route] = {}
    for route in all_routes():
        if route.module.split(".")[0] not in PROJECT_PACKAGES:
            continue
        assert route.name not in routes, f"two project routes are called {route.name!r}"
        routes[route.name] = route
    return routes


# --- The world ---------------------------------------------------------------------------------------------------


class World:
    """What the tests refer to; attributes are set by :func:`build_world`."""

    users: dict  # role → user (None for anonymous)


def _fake_pdf(*, verification_code: str, **_ignored) -> bytes:
    return b"%PDF-1.7\n% Kesai security test " + verification_code.encode("ascii") + b"\n%%EOF\n"


def build_world() -> World:
    """Build the school through the services, so every guardian grant and status is the real one."""
    from portfolios.transcripts import pdf

    w = World()
    groups = sync_role_groups()
    home = site_home()

    framework = FrameworkFactory(name="Security framework")
    w.trade = CompetencyFactory(framework=framework, code="TRADE", name="Trade knowledge", demand_weight=80)
    CompetencyFactory(framework=framework, code="COMM", name="Buyer communication", demand_weight=40)
    w.framework = framework
    w.programme = ProgrammeFactory(framework=framework, name="Cross-border e-commerce")
    w.other_programme = ProgrammeFactory(framework=FrameworkFactory(name="Other framework"), name="Logistics")
    index = course_index(programme=w.programme, title="SecurityCourses")
    w.course = course_page(index=index, code="EC101", title="Cross-border e-commerce basics")
    w.lo1 = outcome(course=w.course, code="LO1", aligned=[(w.trade, "1.0")])

    def person(username, role, **extra):
        return UserFactory(username=f"sec.{username}", roles=[role], **extra)

    owner = person("owner", "Students", first_name="小红", last_name="陈")
    other_student = person("other.student", "Students")
    teacher = person("teacher", "Teachers")
    other_teacher = person("other.teacher", "Teachers")
    mentor = person("mentor", "Enterprise mentors")
    judge = person("judge", "Judges")
    employer = person("employer", "Employers")
    w.recruiter = person("recruiter", "Employers")
    w.owner = owner
    w.users = {
        "anonymous": None,
        "owner": owner,
        "other_student": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "mentor": mentor,
        "judge": judge,
        "employer": employer,
    }
    assert set(groups) >= {"Students", "Teachers", "Enterprise mentors", "Judges", "Employers"}

    CourseTeacher.objects.create(course=w.course, user=teacher, role=TeacherRole.TEACHER)
    CourseTeacher.objects.create(course=w.course, user=mentor, role=TeacherRole.MENTOR, organisation="Silk Road Ltd")
    w.cohort = CohortFactory(programme=w.programme, name="Class A")
    w.cohort.teachers.add(teacher)
    w.other_cohort = CohortFactory(programme=w.other_programme, name="Class B")
    w.other_cohort.teachers.add(other_teacher)
    EnrolmentFactory(cohort=w.cohort, student=owner)
    EnrolmentFactory(cohort=w.other_cohort, student=other_student)
    record_evidence(
        student=owner,
        score=Decimal("3"),
        done_on=date(2026, 3, 1),
        source_kind="course_assessment",
        source_title="EC101 listing project",
        recorded_by=teacher,
        outcome=w.lo1,
    )

    # Competition C, round R, task K; team T with a submission; the judge's assignment J.
    now = timezone.now()
    competitions = home.add_child(instance=CompetitionIndexPage(title="Competitions", slug="security-competitions"))
    organisers = Group.objects.create(name="Security contest organisers")
    organisers.user_set.add(teacher)
    grant_course_section(section=competitions, group=organisers)
    w.competition = competitions.add_child(
        instance=CompetitionPage(
            title="Cross-border Cup",
            slug="security-cup",
            organiser="School of Business",
            level="provincial",
            category="skills",
            registration_opens=now - timedelta(days=1),
            registration_closes=now + timedelta(days=10),
            min_team_size=1,
            max_team_size=5,
        )
    )
    w.round = w.competition.add_child(
        instance=RoundPage(
            title="Preliminary",
            slug="preliminary",
            opens_at=now - timedelta(days=1),
            submission_deadline=now + timedelta(days=5),
        )
    )
    RoundJudge.objects.create(round=w.round, judge=judge)
    w.task = Task.objects.create(round=w.round, title="Product listing", brief="<p>List a product.</p>", max_points=100)
    criterion = Criterion.objects.create(task=w.task, title="Quality", weight=Decimal("1"), max_points=Decimal("10"))
    CriterionAlignment.objects.create(criterion=criterion, outcome=w.lo1, weight=Decimal("0.8"))
    w.criterion = criterion
    w.team = create_team(competition=w.competition, name="Team Owner", created_by=owner, advisor=teacher, mentor=mentor)
    w.submission = submit(
        team=w.team,
        task=w.task,
        submitted_by=owner,
        body_html="<p>Our listing.</p>",
        file=SimpleUploadedFile("listing.pdf", PDF, content_type="application/pdf"),
    )
    w.assignment = assign_judge(task=w.task, team=w.team, judge=judge, assigned_by=teacher)

    # The owner's portfolio: a draft, and course work with a file waiting for the course's teacher and mentor.
    home.add_child(instance=PortfolioIndexPage(title="Portfolios", slug="security-portfolios"))
    w.portfolio = portfolio_for(student=owner)
    w.draft = save_artefact(
        student=owner,
        kind=ArtefactKind.REFLECTION,
        data=ArtefactInput(title="What I learnt", done_on=date(2026, 4, 1), competencies=[w.trade]),
        visibility=Visibility.REVIEWERS,
    )
    w.in_review = save_artefact(
        student=owner,
        kind=ArtefactKind.COURSE_WORK,
        data=ArtefactInput(title="Listing project", done_on=date(2026, 4, 2), course=w.course, outcomes=[w.lo1]),
        file=SimpleUploadedFile("project.pdf", PDF, content_type="application/pdf"),
        visibility=Visibility.REVIEWERS,
    )
    request_review(artefact=w.in_review, student=owner)
    w.in_review.refresh_from_db()
    w.version = w.in_review.current_version
    w.share = share_with_employer(portfolio=w.portfolio, student=owner, employer=employer)

    # Transcript X, issued for Class A by its teacher (batch B), rendered by a stand-in for WeasyPrint.
    real_render = pdf.render_transcript_pdf
    pdf.render_transcript_pdf = _fake_pdf
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            w.batch = transcript_services.issue_for_cohort(cohort=w.cohort, issued_by=teacher)
    finally:
        pdf.render_transcript_pdf = real_render
    w.transcript = Transcript.objects.get(student=owner, batch=w.batch)
    assert w.transcript.pdf, "the transcript should be rendered"
    w.grant = transcript_services.grant_to_employer(transcript=w.transcript, student=owner, employer=employer)
    w.link, w.token = transcript_services.create_link(
        transcript=w.transcript, student=owner, expires_at=now + timedelta(days=7), label="HR"
    )
    return w
