"""Who may see and change what in portfolios.

- A student reads and changes only their own portfolio (``PortfolioPage.student``).
- Reviewers hold guardian's ``review_artefact`` on each artefact sent to them; site administrators may review
  everything. Teachers of the student's cohorts are reviewers for the artefacts no course or mentor claims.
- Visibility: each artefact (and the competency overview) says who besides the student sees it. A viewer's
  *audience* is the set of visibility levels they belong to for one portfolio; see :func:`audience_for`.
- Employers see what is shared with employers once the student shares the portfolio with them (guardian's
  ``view_shared_portfolio`` on the portfolio page).

Gate functions answer 404 for both "does not exist" and "not yours".
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import assign_perm, get_objects_for_user, get_users_with_perms, remove_perm

from courses.models import Cohort
from portfolios.models import Artefact, ArtefactVersion, PortfolioPage, Visibility

REVIEW = "portfolios.review_artefact"
VIEW_SHARED = "portfolios.view_shared_portfolio"

EVERYONE = frozenset({Visibility.PUBLIC})
EMPLOYER_AUDIENCE = frozenset({Visibility.EMPLOYERS, Visibility.PUBLIC})
REVIEWER_AUDIENCE = frozenset({Visibility.REVIEWERS, Visibility.EMPLOYERS, Visibility.PUBLIC})
OWNER_AUDIENCE = frozenset(Visibility.values)


def is_owner(user: AbstractBaseUser, portfolio: PortfolioPage) -> bool:
    return user.is_authenticated and portfolio.student_id == user.pk


def teaches_student(user: AbstractBaseUser, student_id: int) -> bool:
    """A teacher of one of the student's cohorts (or a site administrator)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Cohort.objects.filter(teachers=user, enrolments__student_id=student_id).exists()


def has_employer_share(user: AbstractBaseUser, portfolio: PortfolioPage) -> bool:
    if not user.is_authenticated:
        return False
    return get_objects_for_user(
        user,
        VIEW_SHARED,
        PortfolioPage.objects.filter(pk=portfolio.pk),
        accept_global_perms=False,
        with_superuser=False,
    ).exists()


def audience_for(user: AbstractBaseUser, portfolio: PortfolioPage) -> frozenset[str]:
    """The visibility levels ``user`` sees on this portfolio, without per-artefact review rights."""
    if is_owner(user, portfolio):
        return OWNER_AUDIENCE
    if teaches_student(user, portfolio.student_id):
        return REVIEWER_AUDIENCE
    if has_employer_share(user, portfolio):
        return EMPLOYER_AUDIENCE
    return EVERYONE


def artefacts_user_may_review(user: AbstractBaseUser) -> QuerySet[Artefact]:
    if not user.is_authenticated:
        return Artefact.objects.none()
    if user.is_superuser:
        return Artefact.objects.all()
    return get_objects_for_user(user, REVIEW, Artefact.objects.all(), accept_global_perms=False, with_superuser=False)


def artefacts_visible_to(user: AbstractBaseUser, portfolio: PortfolioPage) -> QuerySet[Artefact]:
    """The portfolio's artefacts ``user`` may see, withdrawn ones excluded (the owner sees those elsewhere)."""
    audience = audience_for(user, portfolio)
    shown = Q(visibility__in=audience)
    if audience != OWNER_AUDIENCE and user.is_authenticated:
        # A reviewer sees what was sent to them, unless the student keeps it private.
        reviewable = artefacts_user_may_review(user).filter(portfolio=portfolio).values("pk")
        shown |= Q(pk__in=reviewable) & ~Q(visibility=Visibility.PRIVATE)
    return Artefact.objects.filter(portfolio=portfolio, withdrawn_at__isnull=True).filter(shown)


def access_own_artefact(user: AbstractBaseUser, pk: int) -> Artefact:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Artefact.objects.select_related("portfolio", "current_version"), pk=pk, portfolio__student=user
    )


def access_artefact_for_review(user: AbstractBaseUser, pk: int) -> Artefact:
    return get_object_or_404(
        artefacts_user_may_review(user)
        .exclude(visibility=Visibility.PRIVATE)
        .select_related("portfolio__student", "current_version"),
        pk=pk,
    )


def access_version_file(user: AbstractBaseUser, pk: int) -> ArtefactVersion:
    """A version's file: for the owner, its reviewers, and whoever may see the artefact on the portfolio."""
    version = get_object_or_404(ArtefactVersion.objects.select_related("artefact__portfolio"), pk=pk)
    artefact = version.artefact
    if is_owner(user, artefact.portfolio):
        return version
    if artefact.visibility == Visibility.PRIVATE:
        raise Http404
    if artefacts_user_may_review(user).filter(pk=artefact.pk).exists():
        return version
    if version.pk != artefact.current_version_id:
        raise Http404  # earlier versions are the student's and their reviewers' business
    if artefacts_visible_to(user, artefact.portfolio).filter(pk=artefact.pk).exists():
        return version
    raise Http404


def reviewers_of(artefact: Artefact) -> QuerySet:
    return get_users_with_perms(artefact, only_with_perms_in=["review_artefact"], with_group_users=False)


def grant_review(*, artefact: Artefact, reviewer: AbstractBaseUser) -> None:
    assign_perm(REVIEW, reviewer, artefact)


def revoke_review(*, artefact: Artefact, reviewer: AbstractBaseUser) -> None:
    remove_perm(REVIEW, reviewer, artefact)


def grant_employer_share(*, portfolio: PortfolioPage, employer: AbstractBaseUser) -> None:
    assign_perm(VIEW_SHARED, employer, portfolio)


def revoke_employer_share(*, portfolio: PortfolioPage, employer: AbstractBaseUser) -> None:
    remove_perm(VIEW_SHARED, employer, portfolio)
