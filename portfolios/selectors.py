"""Reads: portfolio pages as a viewer sees them, an artefact's history, the review queue. No side effects."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from wagtail.models import Page

from courses.attainment import Attainment
from courses.models import Cohort, Competency, CourseOutcome, CoursePage, ProficiencyLevel
from courses.roles import MENTORS, TEACHERS, has_role
from courses.selectors import attainment_for_student, framework_for_student
from portfolios import permissions
from portfolios.models import (
    Artefact,
    ArtefactKind,
    ArtefactReview,
    ArtefactStatus,
    ArtefactVersion,
    PortfolioPage,
    PortfolioShare,
    Visibility,
)


def with_current_version(artefacts: QuerySet[Artefact]) -> QuerySet[Artefact]:
    """Artefacts with what a card shows: current version, its course, mentor, claims and latest review."""
    return artefacts.select_related(
        "current_version__course", "current_version__mentor", "portfolio__student"
    ).prefetch_related(
        Prefetch("current_version__claimed_outcomes", CourseOutcome.objects.select_related("course")),
        "current_version__claimed_competencies",
        Prefetch(
            "reviews",
            ArtefactReview.objects.select_related("reviewer", "level", "version").order_by("-reviewed_at"),
            to_attr="reviews_newest_first",
        ),
    )


@dataclass(frozen=True)
class CompetencyOverview:
    figures: list[Attainment]
    show_evidence: bool


def competency_overview(*, portfolio: PortfolioPage, viewer: AbstractBaseUser) -> CompetencyOverview | None:
    """The student's attainment when the viewer may see it; evidence rows only for the owner and teachers."""
    audience = permissions.audience_for(viewer, portfolio)
    if portfolio.overview_visibility not in audience:
        return None
    framework = framework_for_student(student=portfolio.student)
    if framework is None:
        return CompetencyOverview(figures=[], show_evidence=False)
    explain = Visibility.REVIEWERS in audience
    figures = attainment_for_student(student=portfolio.student, framework=framework, explain=explain)
    return CompetencyOverview(figures=figures, show_evidence=explain)


def portfolio_page_context(*, portfolio: PortfolioPage, viewer: AbstractBaseUser) -> dict | None:
    """What the portfolio page shows ``viewer``; None when there is nothing they may see (the page 404s)."""
    artefacts = list(
        with_current_version(permissions.artefacts_visible_to(viewer, portfolio)).order_by("sort_order", "id")
    )
    overview = competency_overview(portfolio=portfolio, viewer=viewer)
    is_owner = permissions.is_owner(viewer, portfolio)
    if not (is_owner or artefacts or overview):
        return None
    return {
        "is_owner": is_owner,
        "artefact_kinds": ArtefactKind.choices,
        "visibility_choices": Visibility.choices,
        "artefacts": artefacts,
        "overview": overview,
        "withdrawn": list(
            Artefact.objects.filter(portfolio=portfolio, withdrawn_at__isnull=False).select_related("current_version")
        )
        if is_owner
        else [],
    }


def public_portfolios(*, index_page: Page) -> QuerySet[PortfolioPage]:
    """Portfolios with at least one public artefact, for the index page."""
    public = Artefact.objects.filter(portfolio=OuterRef("pk"), visibility=Visibility.PUBLIC, withdrawn_at__isnull=True)
    return PortfolioPage.objects.live().child_of(index_page).filter(Exists(public)).order_by("title")


def artefact_history(*, artefact: Artefact) -> list[ArtefactVersion]:
    """Every version of an artefact, newest first, each with its review (if any)."""
    return list(
        ArtefactVersion.objects.filter(artefact=artefact)
        .select_related("review__reviewer", "review__level", "course", "mentor")
        .prefetch_related(
            Prefetch("claimed_outcomes", CourseOutcome.objects.select_related("course")), "claimed_competencies"
        )
        .order_by("-number")
    )


def shares_of(*, portfolio: PortfolioPage) -> QuerySet[PortfolioShare]:
    return PortfolioShare.objects.filter(portfolio=portfolio).select_related("employer").order_by("-granted_at")


def portfolios_shared_with(*, employer: AbstractBaseUser) -> QuerySet[PortfolioShare]:
    """The open shares to ``employer`` (one per portfolio), newest first, each with its portfolio and student.

    Revoked shares drop out at once; unpublished portfolios too, since their link would lead nowhere."""
    return (
        PortfolioShare.objects.filter(employer=employer, revoked_at__isnull=True, portfolio__live=True)
        .select_related("portfolio__student")
        .order_by("-granted_at", "-pk")
    )


def review_queue(
    *,
    reviewer: AbstractBaseUser,
    course_id: int | None = None,
    cohort_id: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Artefact]:
    """Artefacts the reviewer may review, filtered; those waiting first, oldest request first."""
    artefacts = (
        permissions.artefacts_user_may_review(reviewer)
        .filter(withdrawn_at__isnull=True)
        .exclude(visibility=Visibility.PRIVATE)
    )
    if course_id:
        artefacts = artefacts.filter(current_version__course_id=course_id)
    if cohort_id:
        students = Cohort.objects.filter(pk=cohort_id).values("enrolments__student")
        artefacts = artefacts.filter(portfolio__student__in=students)
    if kind:
        artefacts = artefacts.filter(kind=kind)
    if status:
        artefacts = artefacts.filter(status=status)
    return with_current_version(artefacts).order_by(
        ExpressionWrapper(Q(status=ArtefactStatus.IN_REVIEW), output_field=BooleanField()).desc(),
        "current_version__submitted_for_review_at",
        "id",
    )


def review_counts(*, reviewer: AbstractBaseUser) -> dict[str, int]:
    """How many artefacts the reviewer has in each status (before filters), for the queue's header."""
    rows = (
        permissions.artefacts_user_may_review(reviewer)
        .filter(withdrawn_at__isnull=True)
        .exclude(visibility=Visibility.PRIVATE)
        .values("status")
        .annotate(total=Count("pk"))
    )
    counts = dict.fromkeys(ArtefactStatus.values, 0)
    counts.update({row["status"]: row["total"] for row in rows})
    return counts


def claimable_outcomes(*, student: AbstractBaseUser) -> QuerySet[CourseOutcome]:
    """Outcomes of live courses aligned to the student's framework."""
    framework = framework_for_student(student=student)
    if framework is None:
        return CourseOutcome.objects.none()
    return (
        CourseOutcome.objects.filter(alignments__competency__framework=framework, course__live=True)
        .select_related("course")
        .distinct()
        .order_by("course__title", "sort_order")
    )


def claimable_competencies(*, student: AbstractBaseUser) -> QuerySet[Competency]:
    framework = framework_for_student(student=student)
    if framework is None:
        return Competency.objects.none()
    return Competency.objects.filter(framework=framework).order_by("sort_order", "code")


# --- The reviewers' admin ------------------------------------------------------------------------------------


def is_reviewer(*, user: AbstractBaseUser) -> bool:
    """Who gets the review queue: administrators, teachers and enterprise mentors."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, TEACHERS) or has_role(user, MENTORS)


def review_filter_courses(*, reviewer: AbstractBaseUser) -> QuerySet[CoursePage]:
    """Courses to filter the queue by: every live course for administrators, else the courses of the reviewer's
    artefacts."""
    if reviewer.is_superuser:
        return CoursePage.objects.live().order_by("title")
    courses = permissions.artefacts_user_may_review(reviewer).values("current_version__course")
    return CoursePage.objects.filter(pk__in=courses).order_by("title")


def review_filter_cohorts(*, reviewer: AbstractBaseUser) -> QuerySet[Cohort]:
    """Classes to filter the queue by: all for administrators, else the ones the reviewer teaches or has
    students in."""
    if reviewer.is_superuser:
        return Cohort.objects.all()
    students = permissions.artefacts_user_may_review(reviewer).values("portfolio__student")
    return Cohort.objects.filter(Q(teachers=reviewer) | Q(enrolments__student__in=students)).distinct()


@dataclass(frozen=True)
class LevelChoices:
    levels: QuerySet[ProficiencyLevel]
    several_scales: bool  # name each level's scale, or the same name would mean different things


def batch_sign_off_levels(*, reviewer: AbstractBaseUser) -> LevelChoices:
    """The levels of the scales the reviewer's waiting artefacts are verified on (their students' frameworks)."""
    students = (
        permissions.artefacts_user_may_review(reviewer)
        .filter(status=ArtefactStatus.IN_REVIEW, withdrawn_at__isnull=True)
        .exclude(visibility=Visibility.PRIVATE)
        .values("portfolio__student")
    )
    levels = (
        ProficiencyLevel.objects.filter(scale__frameworks__programmes__cohorts__enrolments__student__in=students)
        .select_related("scale")
        .distinct()
        .order_by("scale__name", "points")
    )
    return LevelChoices(levels=levels, several_scales=levels.order_by().values("scale").distinct().count() > 1)


def sign_off_levels(*, student: AbstractBaseUser) -> QuerySet[ProficiencyLevel]:
    """The levels of the student's framework's scale, lowest first; none when the student has no programme."""
    framework = framework_for_student(student=student)
    if framework is None:
        return ProficiencyLevel.objects.none()
    return framework.scale.levels.order_by("points")
