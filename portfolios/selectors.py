"""Reads: portfolio pages as a viewer sees them, an artefact's history, the review queue. No side effects."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from wagtail.models import Page

from courses.attainment import Attainment
from courses.models import Cohort, Competency, CourseOutcome
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
