"""Judging services: conflicts of interest, assignment, recusal, scoring with history, and round aggregation."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from competitions.models import JudgeAssignment, Score
from competitions.permissions import SCORE, assignments_for_judge
from competitions.selectors.judging import aggregate_round, judging_progress
from competitions.services.judging import (
    ScoreConflict,
    assign_automatically,
    assign_judge,
    conflicts_of_interest,
    record_score,
    recuse,
)
from tests.competitions.judging_fixtures import assign, build_round, finalise, make_team, submit
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


# --- Conflicts of interest -----------------------------------------------------------------------------------


def test_advisor_has_a_conflict_with_their_team():
    setup = build_round()
    advisor = UserFactory()
    team = make_team(setup, advisor=advisor)
    assert conflicts_of_interest(judge=advisor, team=team) == ["advises this team"]


def test_mentor_has_a_conflict_with_their_team():
    setup = build_round()
    mentor = UserFactory()
    team = make_team(setup, mentor=mentor)
    assert conflicts_of_interest(judge=mentor, team=team) == ["is this team's enterprise mentor"]


def test_team_member_has_a_conflict_with_their_own_team():
    setup = build_round()
    student = UserFactory()
    team = make_team(setup, members=[student])
    assert conflicts_of_interest(judge=student, team=team) == ["is a member of this team"]


def test_former_member_still_has_a_conflict():
    setup = build_round()
    student, other = UserFactory(), UserFactory()
    team = make_team(setup, members=[other, student])
    team.memberships.filter(student=student).update(left_at=timezone.now())
    assert conflicts_of_interest(judge=student, team=team) == ["was a member of this team"]


def test_unrelated_judge_has_no_conflict():
    setup = build_round(exclude_cohort_teachers=True)
    team = make_team(setup, advisor=UserFactory(), mentor=UserFactory())
    assert conflicts_of_interest(judge=UserFactory(), team=team) == []


@pytest.mark.parametrize(
    ("rule_on", "expected"), [(True, ["teaches the class “Class 2024-1” of a team member"]), (False, [])]
)
def test_teacher_of_a_members_class_conflicts_only_when_the_rule_is_on(rule_on, expected):
    setup = build_round(exclude_cohort_teachers=rule_on)
    teacher, student = UserFactory(), UserFactory()
    cohort = CohortFactory(name="Class 2024-1")
    cohort.teachers.add(teacher)
    EnrolmentFactory(cohort=cohort, student=student)
    team = make_team(setup, members=[UserFactory(), student])
    assert conflicts_of_interest(judge=teacher, team=team) == expected


def test_teacher_of_a_former_members_class_has_no_conflict():
    setup = build_round(exclude_cohort_teachers=True)
    teacher, student = UserFactory(), UserFactory()
    cohort = CohortFactory()
    cohort.teachers.add(teacher)
    EnrolmentFactory(cohort=cohort, student=student)
    team = make_team(setup, members=[UserFactory(), student])
    team.memberships.filter(student=student).update(left_at=timezone.now())
    assert conflicts_of_interest(judge=teacher, team=team) == []


# --- Assigning by hand ---------------------------------------------------------------------------------------


def test_assigning_a_judge_grants_the_right_to_score_that_entry_only():
    setup = build_round(judges=1)
    judge = setup.judges[0]
    team, other = make_team(setup), make_team(setup)
    assignment = assign_judge(task=setup.task, team=team, judge=judge, assigned_by=setup.organiser)
    assert judge.has_perm(SCORE, assignment)
    assert list(assignments_for_judge(judge)) == [assignment]
    assert not JudgeAssignment.objects.filter(team=other).exists()


def test_judge_cannot_be_assigned_to_own_advisee_team():
    setup = build_round(judges=1)
    judge = setup.judges[0]
    team = make_team(setup, name="Silk Road Sellers", advisor=judge)
    with pytest.raises(ValidationError, match="cannot judge “Silk Road Sellers”: advises this team"):
        assign_judge(task=setup.task, team=team, judge=judge, assigned_by=setup.organiser)
    assert not JudgeAssignment.objects.exists()


def test_judge_not_on_the_rounds_panel_cannot_be_assigned():
    setup = build_round()
    team = make_team(setup)
    with pytest.raises(ValidationError, match="not on the judging panel"):
        assign_judge(task=setup.task, team=team, judge=UserFactory(), assigned_by=setup.organiser)


def test_no_assignment_in_a_locked_round():
    setup = build_round(judges=1)
    team = make_team(setup)
    finalise(setup)
    with pytest.raises(ValidationError, match="finalised"):
        assign_judge(task=setup.task, team=team, judge=setup.judges[0], assigned_by=setup.organiser)


def test_a_judge_is_assigned_to_an_entry_only_once():
    setup = build_round(judges=1)
    team = make_team(setup)
    assign_judge(task=setup.task, team=team, judge=setup.judges[0], assigned_by=setup.organiser)
    with pytest.raises(ValidationError, match="already assigned"):
        assign_judge(task=setup.task, team=team, judge=setup.judges[0], assigned_by=setup.organiser)


# --- Automatic assignment ------------------------------------------------------------------------------------


def load(setup) -> dict[int, int]:
    counts = dict.fromkeys((judge.pk for judge in setup.judges), 0)
    for judge_id in JudgeAssignment.objects.filter(recused_at__isnull=True).values_list("judge_id", flat=True):
        counts[judge_id] += 1
    return counts


def test_automatic_assignment_balances_judges_across_entries():
    # 6 teams × 2 tasks × 2 judges per entry = 24 assignments over 4 judges → 6 each
    setup = build_round(
        judges=4, tasks=[("Listing", "100", [("Quality", "1", "10")]), ("Inquiry", "100", [("Tone", "1", "10")])]
    )
    teams = [make_team(setup) for _ in range(6)]
    report = assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert len(report.created) == 24
    assert report.understaffed == []
    assert set(load(setup).values()) == {6}
    for task in setup.tasks:
        for team in teams:
            judges = list(JudgeAssignment.objects.filter(task=task, team=team).values_list("judge_id", flat=True))
            assert len(judges) == 2 and len(set(judges)) == 2
    for assignment in report.created:
        assert assignment.judge.has_perm(SCORE, assignment)


def test_automatic_assignment_breaks_ties_by_judge_id():
    # 2 judges, 1 per entry: team 1 gets the lower id (both at 0), team 2 the other (now 1 vs 0)
    setup = build_round(judges=2, judges_per_entry=1)
    first, second = make_team(setup), make_team(setup)
    low, high = sorted(setup.judges, key=lambda judge: judge.pk)
    assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert JudgeAssignment.objects.get(team=first).judge == low
    assert JudgeAssignment.objects.get(team=second).judge == high


def test_automatic_assignment_skips_conflicted_judges():
    setup = build_round(judges=3)
    advisor = setup.judges[0]
    advised = make_team(setup, advisor=advisor)
    make_team(setup)
    report = assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert report.understaffed == []
    assert not JudgeAssignment.objects.filter(team=advised, judge=advisor).exists()
    assert JudgeAssignment.objects.filter(team=advised).count() == 2


def test_entries_that_cannot_be_fully_staffed_are_reported():
    # 2 judges, 2 per entry, one judge mentors team A → A gets 1 of 2, and the report says so
    setup = build_round(judges=2)
    team = make_team(setup, name="Team A", mentor=setup.judges[1])
    make_team(setup, name="Team B")
    report = assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert len(report.created) == 3
    assert [(entry.team, entry.assigned, entry.wanted) for entry in report.understaffed] == [(team, 1, 2)]
    assert "Team A" in report.understaffed[0].message() and "1 of 2" in report.understaffed[0].message()


def test_automatic_assignment_keeps_existing_assignments_and_adds_nothing_twice():
    setup = build_round(judges=3)
    team = make_team(setup)
    assign_judge(task=setup.task, team=team, judge=setup.judges[2], assigned_by=setup.organiser)
    first = assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert len(first.created) == 1
    again = assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert again.created == [] and again.understaffed == []
    assert JudgeAssignment.objects.filter(team=team).count() == 2


def test_withdrawn_teams_and_teams_without_members_are_not_assigned():
    setup = build_round(judges=2)
    withdrawn = make_team(setup)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    empty = make_team(setup, members=[])
    active = make_team(setup)
    assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)
    assert set(JudgeAssignment.objects.values_list("team_id", flat=True)) == {active.pk}
    assert not JudgeAssignment.objects.filter(team__in=[withdrawn, empty]).exists()


def test_automatic_assignment_is_refused_in_a_locked_round():
    setup = build_round(judges=2)
    make_team(setup)
    finalise(setup)
    with pytest.raises(ValidationError, match="finalised"):
        assign_automatically(round_page=setup.round_page, assigned_by=setup.organiser)


# --- Recusal -------------------------------------------------------------------------------------------------


def test_recusal_needs_a_reason():
    setup = build_round(judges=1)
    assignment = assign(setup, team=make_team(setup), judge=setup.judges[0])
    with pytest.raises(ValidationError, match="Say why"):
        recuse(assignment=assignment, reason="  ", by=setup.judges[0])
    assignment.refresh_from_db()
    assert assignment.recused_at is None


def test_recusal_passes_the_entry_to_the_least_busy_available_judge():
    # judges: A (recusing), B with 2 assignments, C with 1, D conflicted → C takes over
    setup = build_round(judges=4)
    a, b, c, d = setup.judges
    team = make_team(setup, advisor=d)
    assignment = assign(setup, team=team, judge=a)
    for _ in range(2):
        assign(setup, team=make_team(setup), judge=b)
    assign(setup, team=make_team(setup), judge=c)
    replacement = recuse(assignment=assignment, reason="I coached one of the students last year.", by=a)
    assignment.refresh_from_db()
    assert assignment.recused_at is not None
    assert assignment.recusal_reason == "I coached one of the students last year."
    assert not a.has_perm(SCORE, assignment)
    assert replacement.judge == c and replacement.team == team and replacement.task == setup.task
    assert c.has_perm(SCORE, replacement)


def test_recusal_without_an_available_judge_returns_none():
    # the only other judge already judges the entry; the recused judge never gets it back
    setup = build_round(judges=2)
    a, b = setup.judges
    team = make_team(setup)
    assignment = assign(setup, team=team, judge=a)
    assign(setup, team=team, judge=b)
    assert recuse(assignment=assignment, reason="Conflict", by=a) is None
    assert list(JudgeAssignment.objects.filter(team=team, recused_at__isnull=True).values_list("judge", flat=True)) == [
        b.pk
    ]


def test_recusal_is_not_repeated():
    setup = build_round(judges=1)
    assignment = assign(setup, team=make_team(setup), judge=setup.judges[0])
    recuse(assignment=assignment, reason="Conflict", by=setup.judges[0])
    with pytest.raises(ValidationError, match="already ended"):
        recuse(assignment=JudgeAssignment.objects.get(pk=assignment.pk), reason="Again", by=setup.judges[0])


# --- Scoring -------------------------------------------------------------------------------------------------


@pytest.fixture
def entry():
    """One team, two judges assigned to its "Product listing" entry (Quality out of 10, Pricing out of 20)."""
    return one_entry_two_judges()


def one_entry_two_judges():
    setup = build_round(judges=2)
    team = make_team(setup)
    first = assign(setup, team=team, judge=setup.judges[0])
    second = assign(setup, team=team, judge=setup.judges[1])
    quality, pricing = setup.criteria()
    return setup, first, second, quality, pricing


def score(assignment, criterion, points, comment="", based_on=None):
    return record_score(
        assignment=assignment,
        criterion=criterion,
        points=D(points),
        comment=comment,
        judge=assignment.judge,
        based_on=based_on,
    )


@pytest.mark.parametrize("points", ["-1", "10.01", "11"])
def test_points_outside_the_criterion_range_are_refused(entry, points):
    _setup, first, _second, quality, _pricing = entry
    with pytest.raises(ValidationError, match="between 0 and 10"):
        score(first, quality, points)
    assert not Score.objects.exists()


def test_points_with_more_than_two_decimals_are_refused(entry):
    _setup, first, _second, quality, _pricing = entry
    with pytest.raises(ValidationError, match="two decimal places"):
        score(first, quality, "7.555")


def test_criterion_of_another_task_is_refused():
    setup = build_round(
        judges=1, tasks=[("Listing", "100", [("Quality", "1", "10")]), ("Inquiry", "100", [("Tone", "1", "10")])]
    )
    assignment = assign(setup, team=make_team(setup), judge=setup.judges[0], task=setup.tasks[0])
    tone = setup.criteria(setup.tasks[1])[0]
    with pytest.raises(ValidationError, match="not a criterion of this task"):
        score(assignment, tone, "5")


def test_judge_not_assigned_to_the_entry_cannot_score_it(entry):
    _setup, first, second, quality, _pricing = entry
    with pytest.raises(ValidationError, match="Only the judge assigned"):
        record_score(assignment=first, criterion=quality, points=D(5), comment="", judge=second.judge, based_on=None)


def test_recused_judge_cannot_score(entry):
    _setup, first, _second, quality, _pricing = entry
    JudgeAssignment.objects.filter(pk=first.pk).update(recused_at=timezone.now(), recusal_reason="Conflict")
    with pytest.raises(ValidationError, match="assignment has ended"):
        score(first, quality, "5")


def test_scores_are_locked_while_the_round_is_finalised(entry):
    setup, first, _second, quality, _pricing = entry
    finalisation = finalise(setup)
    with pytest.raises(ValidationError, match="scores are locked"):
        score(first, quality, "5")
    finalisation.reopened_at = timezone.now()
    finalisation.reopened_by = setup.organiser
    finalisation.save()
    assert score(first, quality, "5").points == D(5)


def test_changing_a_score_keeps_the_earlier_version_with_who_and_when(entry):
    _setup, first, _second, quality, _pricing = entry
    original = score(first, quality, "6", "Title lacks keywords")
    changed = score(first, quality, "7.5", "Title fine on second look", based_on=original)
    rows = list(Score.objects.filter(assignment=first, criterion=quality).order_by("pk"))
    assert rows == [original, changed]
    assert changed.supersedes == original
    assert original.superseded_by == changed
    assert [(row.points, row.scored_by) for row in rows] == [(D("6"), first.judge), (D("7.5"), first.judge)]
    assert original.scored_at <= changed.scored_at
    assert original.comment == "Title lacks keywords"


def test_saving_the_same_points_and_comment_adds_no_row(entry):
    _setup, first, _second, quality, _pricing = entry
    original = score(first, quality, "6", "Fine")
    assert score(first, quality, "6.00", "Fine ", based_on=original) == original
    assert Score.objects.count() == 1


def test_a_score_changed_meanwhile_is_not_overwritten(entry):
    # tab 1 and tab 2 both showed the original; tab 1 saves 8, then tab 2 tries 4
    _setup, first, _second, quality, _pricing = entry
    original = score(first, quality, "6")
    from_tab_one = score(first, quality, "8", based_on=original)
    with pytest.raises(ScoreConflict, match=r"changed this score.*it is now 8\.00") as caught:
        score(first, quality, "4", based_on=original)
    assert caught.value.current == from_tab_one
    assert Score.objects.count() == 2
    assert Score.objects.filter(superseded_by__isnull=True).get() == from_tab_one


def test_a_first_score_saved_meanwhile_is_not_overwritten(entry):
    _setup, first, _second, quality, _pricing = entry
    saved = score(first, quality, "6")
    with pytest.raises(ScoreConflict) as caught:
        score(first, quality, "9", based_on=None)
    assert caught.value.current == saved


def test_two_judges_scoring_the_same_entry_both_keep_their_scores(entry):
    # both forms were loaded empty (based_on None) before either judge saved
    _setup, first, second, quality, pricing = entry
    forms = [(first, quality, "7"), (second, quality, "5"), (first, pricing, "12"), (second, pricing, "18")]
    for assignment, criterion, points in forms:
        score(assignment, criterion, points)
    assert sorted(Score.objects.values_list("assignment_id", "criterion_id", "points")) == sorted(
        (assignment.pk, criterion.pk, D(points)) for assignment, criterion, points in forms
    )


# --- Progress and aggregation --------------------------------------------------------------------------------


def test_judging_progress_counts_judges_and_scored_criteria(entry):
    setup, first, second, quality, pricing = entry
    score(first, quality, "7")
    score(first, pricing, "10")
    score(second, quality, "5")
    lonely = make_team(setup)
    progress = {(row.team.pk, row.task.pk): row for row in judging_progress(round_page=setup.round_page)}
    judged = progress[(first.team_id, setup.task.pk)]
    assert (len(judged.judges), judged.scored, judged.expected) == (2, 3, 4)  # 2 judges × 2 criteria
    assert not judged.complete and not judged.understaffed
    unjudged = progress[(lonely.pk, setup.task.pk)]
    assert (len(unjudged.judges), unjudged.scored, unjudged.expected, unjudged.understaffed) == (0, 0, 0, True)


def test_aggregate_round_with_the_mean():
    """Task "Product listing" out of 100: Quality weight 2 out of 10, Pricing weight 1 out of 20.

    Team North, judges A and B: Quality 8 and 6 → mean 7; Pricing 10 and 14 → mean 12.
      task = (2·7/10 + 1·12/20) / 3 × 100 = (1.4 + 0.6) / 3 × 100 = 66.666… ; latest submission v2 is 10 % late
      (v1 was on time): 66.666… × 0.9 = 60.00
    Team South, judges A and C (C recused, B scored after — C's scores do not count): Quality 9 (A's first 5 was
      superseded) and 7 → 8; Pricing 20 and 16 → 18; task = (2·0.8 + 1·0.9) / 3 × 100 = 2.5 / 3 × 100 = 83.33…
    Team West did not submit: 0 (its scores do not matter).
    """
    setup = build_round(judges=3)
    a, b, c = setup.judges
    quality, pricing = setup.criteria()
    north, south, west = (make_team(setup, name=name) for name in ("North", "South", "West"))
    submit(setup, team=north, version=1)
    submit(setup, team=north, version=2, penalty="10")
    submit(setup, team=south, version=1)
    north_a, north_b = assign(setup, team=north, judge=a), assign(setup, team=north, judge=b)
    south_a, south_c = assign(setup, team=south, judge=a), assign(setup, team=south, judge=c)
    west_a = assign(setup, team=west, judge=a)
    for assignment, points in ((north_a, ("8", "10")), (north_b, ("6", "14")), (south_c, ("1", "1"))):
        score(assignment, quality, points[0])
        score(assignment, pricing, points[1])
    first_quality = score(south_a, quality, "5")
    score(south_a, quality, "9", based_on=first_quality)
    score(south_a, pricing, "20")
    recuse(assignment=south_c, reason="Knows the captain", by=c)
    south_b = JudgeAssignment.objects.get(team=south, judge=b, recused_at__isnull=True)
    score(south_b, quality, "7")
    score(south_b, pricing, "16")
    score(west_a, quality, "10")

    result = aggregate_round(round_page=setup.round_page)

    assert [(team.team_name, team.total) for team in result.teams] == [
        ("South", D("83.33")),
        ("North", D("60.00")),
        ("West", D("0.00")),
    ]
    assert result.method == "mean" and result.max_total == D("100")
    north_task = result.for_team(north.pk).tasks[0]
    assert north_task.submission_version == 2
    assert north_task.score_before_penalty == D("66.67")
    assert north_task.late_penalty_percent == D("10")
    assert north_task.score == D("60.00")
    assert [(c.title, c.points, c.judge_scores) for c in north_task.criteria] == [
        ("Quality", D("7.00"), {a.pk: D("8"), b.pk: D("6")}),
        ("Pricing", D("12.00"), {a.pk: D("10"), b.pk: D("14")}),
    ]
    assert result.for_team(south.pk).tasks[0].criteria[0].judge_scores == {a.pk: D("9"), b.pk: D("7")}
    west_task = result.for_team(west.pk).tasks[0]
    assert west_task.submission_id is None and west_task.score == D("0")


def test_aggregate_round_with_z_scores_uses_the_worked_example():
    """docs/judging.md: criterion out of 20, A lenient (11, 14, 17), B strict (8, 2, 14) → 8, 8, 17 points.
    With one criterion the task score is p / 20 × 100: 40, 40, 85."""
    setup = build_round(judges=2, method="z_score", tasks=[("Business plan", "100", [("Feasibility", "1", "20")])])
    a, b = setup.judges
    (feasibility,) = setup.criteria()
    teams = [make_team(setup, name=name) for name in ("T1", "T2", "T3")]
    for team, points_a, points_b in zip(teams, ("11", "14", "17"), ("8", "2", "14"), strict=True):
        submit(setup, team=team)
        score(assign(setup, team=team, judge=a), feasibility, points_a)
        score(assign(setup, team=team, judge=b), feasibility, points_b)
    result = aggregate_round(round_page=setup.round_page)
    assert [(team.team_name, team.tasks[0].criteria[0].points, team.total) for team in result.teams] == [
        ("T3", D("17.00"), D("85.00")),
        ("T1", D("8.00"), D("40.00")),
        ("T2", D("8.00"), D("40.00")),
    ]


def test_aggregate_round_with_the_trimmed_mean():
    # three judges 4, 7, 9 → 7; out of 10, one criterion, task out of 50: 7/10 × 50 = 35
    setup = build_round(judges=3, method="trimmed_mean", tasks=[("Pitch", "50", [("Delivery", "1", "10")])])
    (delivery,) = setup.criteria()
    team = make_team(setup)
    submit(setup, team=team)
    for judge, points in zip(setup.judges, ("4", "9", "7"), strict=True):
        score(assign(setup, team=team, judge=judge), delivery, points)
    assert aggregate_round(round_page=setup.round_page).teams[0].total == D("35.00")


@pytest.mark.parametrize("method", ["mean", "z_score"])
def test_aggregate_round_costs_the_same_queries_for_5_or_50_teams(method):
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 50):
        setup = build_round(judges=2, method=method)
        quality, pricing = setup.criteria()
        for _ in range(size):
            team = make_team(setup)
            submit(setup, team=team)
            for judge in setup.judges:
                assignment = assign(setup, team=team, judge=judge)
                Score.objects.bulk_create(
                    [
                        Score(assignment=assignment, criterion=quality, points=D(5), scored_by=judge),
                        Score(assignment=assignment, criterion=pricing, points=D(9), scored_by=judge),
                    ]
                )
        with CaptureQueriesContext(connection) as queries:
            result = aggregate_round(round_page=setup.round_page)
        assert len(result.teams) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7


# --- Real concurrency (PostgreSQL) ---------------------------------------------------------------------------


def run_together(*calls):
    """Run the calls in threads released at the same moment; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_judges_saving_the_same_entry_at_once_both_keep_their_scores():
    _setup, first, second, quality, _pricing = one_entry_two_judges()
    results = run_together(lambda: score(first, quality, "7", "A"), lambda: score(second, quality, "4", "B"))
    assert all(isinstance(result, Score) for result in results), results
    assert sorted(Score.objects.values_list("assignment_id", "points")) == sorted(
        [(first.pk, D("7")), (second.pk, D("4"))]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_judge_in_two_tabs_at_once_loses_nothing_silently():
    # both tabs showed the same score; exactly one change wins, the other is told (ScoreConflict)
    _setup, first, _second, quality, _pricing = one_entry_two_judges()
    original = score(first, quality, "6")
    results = run_together(
        lambda: score(first, quality, "8", based_on=original), lambda: score(first, quality, "3", based_on=original)
    )
    saved = [result for result in results if isinstance(result, Score)]
    refused = [result for result in results if isinstance(result, ScoreConflict)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert refused[0].current == saved[0]
    assert Score.objects.count() == 2
