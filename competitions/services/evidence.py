"""Turning judged (or imported) competition scores into evidence in the courses ledger.

Every criterion score becomes one row per team member per course outcome the criterion is aligned to:
score = points / criterion maximum × the top points of the outcome's scale, weight = the criterion's alignment
weight, dated by the team's submission. Each (criterion, team) — or (criterion, student) for imports — is one
*source*: re-finalising replaces that source's rows through ``courses.services.replace_source_evidence``, which
supersedes changed rows and retracts vanished ones instead of adding duplicates.

An award adds one row per member for each outcome the round assesses, at the top of the scale for first and
second prizes and at the mastery level for the others, with weight 0.5 (an award confirms, it does not replace,
the judged evidence).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from competitions.models import Award, Criterion
from courses.models import CourseOutcome, EvidenceSourceKind
from courses.services import EvidenceDraft, replace_source_evidence, scale_for, top_points

AWARD_WEIGHT = Decimal("0.5")
TOP_AWARDS = {Award.FIRST, Award.SECOND}


@dataclass(frozen=True)
class EvidenceSource:
    key: str
    title: str
    url: str


def criterion_drafts(
    *, criterion: Criterion, points: Decimal, students: list[AbstractBaseUser], done_on: date
) -> list[EvidenceDraft]:
    drafts = []
    for alignment in criterion.alignments.all():
        top = top_points(scale_for(outcome=alignment.outcome))
        score = Decimal(points) / criterion.max_points * top
        drafts.extend(
            EvidenceDraft(
                student=student, outcome=alignment.outcome, score=score, weight=alignment.weight, done_on=done_on
            )
            for student in students
        )
    return drafts


def award_drafts(
    *, award: str, outcomes: list[CourseOutcome], students: list[AbstractBaseUser], done_on: date
) -> list[EvidenceDraft]:
    if not award:
        return []
    drafts = []
    for outcome in outcomes:
        scale = scale_for(outcome=outcome)
        if award in TOP_AWARDS:
            score = top_points(scale)
        else:
            score = scale.levels.filter(is_mastery=True).values_list("points", flat=True).first() or top_points(scale)
        drafts.extend(
            EvidenceDraft(student=student, outcome=outcome, score=score, weight=AWARD_WEIGHT, done_on=done_on)
            for student in students
        )
    return drafts


def write_source(
    *, source: EvidenceSource, drafts: list[EvidenceDraft], kind: str, recorded_by: AbstractBaseUser
) -> None:
    replace_source_evidence(
        source_key=source.key,
        drafts=drafts,
        source_kind=kind,
        source_title=source.title,
        source_url=source.url,
        recorded_by=recorded_by,
        note=_("Competition results"),
    )


TASK_KIND = EvidenceSourceKind.COMPETITION_TASK
AWARD_KIND = EvidenceSourceKind.COMPETITION_AWARD
