"""Finalising a round: ranking, advancement, awards, locking, and evidence that re-finalising supersedes.

Fixture: one task (max 100) with one criterion (max 10, weight 1) aligned to LO2 with weight 0.8; scale 1–4.
Team A (two members) is scored 8 and 6 by two judges → mean 7 → task 7/10 × 100 = 70.
Team B (one member) is scored 9 and 9 → 90.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from competitions.models import JudgeAssignment, RoundResult, Score, Submission, Team, TeamMembership
from competitions.selectors.results import visible_results
from competitions.services.results import finalise_round, rank, reopen_round
from courses.models import EvidenceRecord
from tests.competitions.test_brief_pages import build_competition
from tests.factories import UserFactory, course_index, course_page, outcome

pytestmark = pytest.mark.django_db


def score(assignment, criterion, points, supersedes=None):
    return Score.objects.create(
        assignment=assignment,
        criterion=criterion,
        points=Decimal(points),
        scored_by=assignment.judge,
        supersedes=supersedes,
    )


@pytest.fixture
def judged(competency, teacher):
    course = course_page(index=course_index(), code="OPS201", title="Platform Operation")
    lo2 = outcome(course=course, code="LO2", aligned=[(competency, "1")])
    competition, round_page = build_competition(course_outcome=lo2)
    round_page.advancement_rule = "top_n"
    round_page.advance_top_n = 1
    round_page.save()
    task = round_page.tasks.get()
    criterion = task.criteria.get()
    judges = [UserFactory(roles=["Judges"]) for _ in range(2)]
    teams, scores = {}, {}
    for name, members, points in (("A", 2, ("8", "6")), ("B", 1, ("9", "9"))):
        team = Team.objects.create(competition=competition, name=name, created_by=teacher)
        for _ in range(members):
            TeamMembership.objects.create(team=team, student=UserFactory(roles=["Students"]))
        Submission.objects.create(team=team, task=task, version=1, body="<p>work</p>", submitted_by=teacher)
        for judge, value in zip(judges, points, strict=True):
            assignment = JudgeAssignment.objects.create(task=task, team=team, judge=judge, assigned_by=teacher)
            scores[(name, judge.pk)] = score(assignment, criterion, value)
        teams[name] = team
    return {"round": round_page, "teams": teams, "criterion": criterion, "lo2": lo2, "scores": scores, "judges": judges}


def members(team):
    return [m.student for m in team.memberships.all()]


def test_competition_ranking_shares_ranks_and_skips():
    assert rank([(1, Decimal("70")), (2, Decimal("90")), (3, Decimal("70")), (4, Decimal("10"))]) == {
        2: 1,
        1: 2,
        3: 2,
        4: 4,
    }


def test_finalising_ranks_advances_and_awards(judged, teacher):
    finalise_round(round_page=judged["round"], by=teacher, awards={judged["teams"]["B"].pk: ("first", "")})
    results = {r.team.name: r for r in RoundResult.objects.select_related("team")}
    assert (results["B"].total, results["B"].rank, results["B"].advanced, results["B"].award) == (
        Decimal("90.00"),
        1,
        True,
        "first",
    )
    assert (results["A"].total, results["A"].rank, results["A"].advanced) == (Decimal("70.00"), 2, False)


def test_finalising_writes_weighted_evidence_for_every_member(judged, teacher):
    finalise_round(round_page=judged["round"], by=teacher, awards={judged["teams"]["B"].pk: ("first", "")})
    for student in members(judged["teams"]["A"]):
        row = EvidenceRecord.objects.active().get(student=student)
        assert (row.outcome, row.score, row.weight, row.source_kind) == (
            judged["lo2"],
            Decimal("2.80"),  # 7 of 10 points × 4
            Decimal("0.80"),
            "competition_task",
        )
    (winner,) = members(judged["teams"]["B"])
    by_kind = {r.source_kind: r for r in EvidenceRecord.objects.active().filter(student=winner)}
    assert by_kind["competition_task"].score == Decimal("3.60")  # 9 of 10 × 4
    assert (by_kind["competition_award"].score, by_kind["competition_award"].weight) == (
        Decimal("4.00"),
        Decimal("0.50"),
    )


def test_a_finalised_round_cannot_be_finalised_again(judged, teacher):
    finalise_round(round_page=judged["round"], by=teacher)
    with pytest.raises(ValidationError, match="already finalised"):
        finalise_round(round_page=judged["round"], by=teacher)


def test_reopening_needs_a_reason(judged, teacher):
    finalise_round(round_page=judged["round"], by=teacher)
    with pytest.raises(ValidationError, match="Say why"):
        reopen_round(round_page=judged["round"], by=teacher, reason=" ")


def test_correcting_and_refinalising_supersedes_evidence(judged, teacher):
    finalise_round(round_page=judged["round"], by=teacher)
    reopen_round(round_page=judged["round"], by=teacher, reason="Judge mistyped a score")
    first_judge = judged["judges"][0]
    old = judged["scores"][("A", first_judge.pk)]
    score(old.assignment, judged["criterion"], "10", supersedes=old)  # A: mean (10 + 6) / 2 = 8 → 80
    finalise_round(round_page=judged["round"], by=teacher)
    student = members(judged["teams"]["A"])[0]
    active = EvidenceRecord.objects.active().get(student=student)
    assert active.score == Decimal("3.20")  # 8 of 10 × 4
    assert active.supersedes.score == Decimal("2.80")
    assert EvidenceRecord.objects.filter(student=student).count() == 2
    latest = RoundResult.objects.filter(finalisation__reopened_at__isnull=True).get(team=judged["teams"]["A"])
    assert latest.total == Decimal("80.00")
    assert RoundResult.objects.filter(team=judged["teams"]["A"]).count() == 2  # the first result is kept


@pytest.mark.parametrize(
    ("visibility", "viewer", "expected"),
    [
        ("public", "stranger", ["B", "A"]),
        ("own", "member_a", ["A"]),
        ("own", "stranger", []),
        ("hidden", "member_a", []),
        ("hidden", "anonymous", []),
    ],
)
def test_results_follow_the_rounds_visibility(judged, teacher, visibility, viewer, expected):
    from django.contrib.auth.models import AnonymousUser

    from competitions.permissions import grant_membership_rights

    round_page = judged["round"]
    round_page.results_visibility = visibility
    round_page.save()
    finalise_round(round_page=round_page, by=teacher)
    member = members(judged["teams"]["A"])[0]
    grant_membership_rights(team=judged["teams"]["A"], student=member)
    user = {"stranger": UserFactory(), "member_a": member, "anonymous": AnonymousUser()}[viewer]
    assert [r.team.name for r in visible_results(round_page=round_page, user=user)] == expected
