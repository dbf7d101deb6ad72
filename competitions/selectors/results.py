"""Reads of finalised results, filtered by the round's visibility setting."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from competitions.models import ResultsVisibility, RoundFinalisation, RoundPage, RoundResult
from competitions.permissions import is_organiser, teams_user_may_view


def current_finalisation(*, round_page: RoundPage) -> RoundFinalisation | None:
    return RoundFinalisation.objects.filter(round=round_page, reopened_at__isnull=True).first()


def visible_results(*, round_page: RoundPage, user: AbstractBaseUser, competition=None) -> QuerySet[RoundResult]:
    """Results of the open finalisation that this user may see: all, their teams' own, or none."""
    results = RoundResult.objects.filter(
        finalisation__round=round_page, finalisation__reopened_at__isnull=True
    ).select_related("team")
    competition = competition or round_page.competition
    if is_organiser(user, competition) or round_page.results_visibility == ResultsVisibility.PUBLIC:
        return results.order_by("rank", "team__name")
    if round_page.results_visibility == ResultsVisibility.OWN:
        return results.filter(team__in=teams_user_may_view(user)).order_by("rank")
    return results.none()
