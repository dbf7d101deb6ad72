"""Finalising a round: lock the scores, rank the teams, decide advancement, give awards, write evidence.

Ranking is standard competition ranking (1, 2, 2, 4) on the total. Top-N advancement lets every team whose
rank is N or better through, so a tie at the cut takes both teams; a threshold lets every team at or above it
through. Reopening (with a reason) unlocks scoring and keeps the old results; finalising again writes new
results and replaces the evidence of the round source by source (see ``competitions.services.evidence``).
"""

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.models import (
    AdvancementRule,
    Award,
    Criterion,
    RoundFinalisation,
    RoundPage,
    RoundResult,
    Submission,
    TeamMembership,
)
from competitions.selectors.judging import RoundAggregate, aggregate_round, competition_of
from competitions.services.evidence import (
    AWARD_KIND,
    TASK_KIND,
    EvidenceSource,
    award_drafts,
    criterion_drafts,
    write_source,
)
from courses.models import CourseOutcome


def rank(totals: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking of (team id, total) pairs: equal totals share a rank, the next rank skips."""
    ordered = sorted(totals, key=lambda pair: -pair[1])
    ranks: dict[int, int] = {}
    for position, (team_id, total) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[team_id] = ranks[previous[0]] if previous is not None and previous[1] == total else position
    return ranks


def advances(*, round_page: RoundPage, rank_of_team: int, total: Decimal) -> bool:
    if round_page.advancement_rule == AdvancementRule.TOP_N:
        return rank_of_team <= (round_page.advance_top_n or 0)
    if round_page.advancement_rule == AdvancementRule.THRESHOLD:
        return total >= round_page.advance_threshold
    return False


def finalise_round(
    *,
    round_page: RoundPage,
    by: AbstractBaseUser,
    awards: Mapping[int, tuple[str, str]] | None = None,
) -> RoundFinalisation:
    """Lock the round's scores and record results, awards and evidence. ``awards``: team id → (award, title)."""
    awards = dict(awards or {})
    for award, title in awards.values():
        if award and award not in Award.values:
            raise ValidationError(_("Unknown award “%(award)s”.") % {"award": award})
        if award == Award.CUSTOM and not title.strip():
            raise ValidationError(_("Give the other award a title."))
    with transaction.atomic():
        RoundPage.objects.select_for_update(of=("self",)).filter(pk=round_page.pk).values_list("pk", flat=True).get()
        if RoundFinalisation.objects.filter(round=round_page, reopened_at__isnull=True).exists():
            raise ValidationError(_("This round is already finalised; reopen it first to correct it."))
        aggregate = aggregate_round(round_page=round_page)
        finalisation = RoundFinalisation.objects.create(round=round_page, finalised_by=by)
        ranks = rank([(team.team_id, team.total) for team in aggregate.teams])
        RoundResult.objects.bulk_create(
            RoundResult(
                finalisation=finalisation,
                team_id=team.team_id,
                total=team.total,
                rank=ranks[team.team_id],
                advanced=advances(round_page=round_page, rank_of_team=ranks[team.team_id], total=team.total),
                award=awards.get(team.team_id, ("", ""))[0],
                award_title=awards.get(team.team_id, ("", ""))[1].strip(),
            )
            for team in aggregate.teams
        )
        _write_evidence(round_page=round_page, aggregate=aggregate, awards=awards, by=by)
        return finalisation


def reopen_round(*, round_page: RoundPage, by: AbstractBaseUser, reason: str) -> RoundFinalisation:
    if not reason.strip():
        raise ValidationError(_("Say why the round is being reopened."))
    with transaction.atomic():
        finalisation = (
            RoundFinalisation.objects.select_for_update().filter(round=round_page, reopened_at__isnull=True).first()
        )
        if finalisation is None:
            raise ValidationError(_("This round is not finalised."))
        finalisation.reopened_at = timezone.now()
        finalisation.reopened_by = by
        finalisation.reopen_reason = reason.strip()
        finalisation.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        return finalisation


def _write_evidence(*, round_page: RoundPage, aggregate: RoundAggregate, awards, by) -> None:
    competition = competition_of(round_page)
    members: dict[int, list] = {}
    current = TeamMembership.objects.filter(team_id__in=[t.team_id for t in aggregate.teams], left_at__isnull=True)
    for membership in current.select_related("student").order_by("joined_at"):
        members.setdefault(membership.team_id, []).append(membership.student)
    criteria = {
        criterion.pk: criterion
        for criterion in Criterion.objects.filter(task__round=round_page)
        .select_related("task")
        .prefetch_related("alignments__outcome")
    }
    submitted_on = {
        submission.pk: timezone.localdate(submission.submitted_at)
        for submission in Submission.objects.filter(task__round=round_page)
    }
    outcomes = list(CourseOutcome.objects.filter(criterion_alignments__criterion__task__round=round_page).distinct())
    url = round_page.url or ""
    for team_result in aggregate.teams:
        students = members.get(team_result.team_id, [])
        for task in team_result.tasks:
            for figure in task.criteria:
                criterion = criteria[figure.criterion_id]
                scored = task.submission_id is not None and bool(figure.judge_scores)
                drafts = (
                    criterion_drafts(
                        criterion=criterion,
                        points=figure.points,
                        students=students,
                        done_on=submitted_on[task.submission_id],
                    )
                    if scored
                    else []
                )
                write_source(
                    source=EvidenceSource(
                        key=f"competitions.criterion:{criterion.pk}:team:{team_result.team_id}",
                        title=f"{competition.title} · {round_page.title} · {task.title} · {criterion.title}",
                        url=url,
                    ),
                    drafts=drafts,
                    kind=TASK_KIND,
                    recorded_by=by,
                )
        award, title = awards.get(team_result.team_id, ("", ""))
        dates = [submitted_on[t.submission_id] for t in team_result.tasks if t.submission_id]
        label = title.strip() or (Award(award).label if award else "")
        write_source(
            source=EvidenceSource(
                key=f"competitions.award:{round_page.pk}:team:{team_result.team_id}",
                title=f"{competition.title} · {round_page.title} · {label}",
                url=url,
            ),
            drafts=award_drafts(award=award, outcomes=outcomes, students=students, done_on=max(dates))
            if award and dates
            else [],
            kind=AWARD_KIND,
            recorded_by=by,
        )
