"""The artefact workflow: draft → in review → signed off, new versions, withdrawal, ordering, who reviews."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import EvidenceRecord
from portfolios import permissions
from portfolios.models import Artefact, ArtefactKind, ArtefactReview, ArtefactStatus, ReviewVerdict, Visibility
from portfolios.services import (
    ArtefactInput,
    cancel_review,
    eligible_reviewers,
    move_artefact,
    request_review,
    save_artefact,
    set_visibility,
    sign_off,
    withdraw_artefact,
)
from tests.competitions import judging_fixtures
from tests.factories import CohortFactory, ScaleFactory, UserFactory


def messages(caught: pytest.ExceptionInfo) -> str:
    return " ".join(caught.value.messages)


def edit(artefact: Artefact, *, student, **fields) -> Artefact:
    """Save a new version of ``artefact`` with the given fields (title and date default to fresh values)."""
    fields.setdefault("title", "My reflection, revised")
    fields.setdefault("done_on", date(2026, 6, 1))
    fields.setdefault("competencies", list(artefact.current_version.claimed_competencies.all()))
    return save_artefact(student=student, kind=artefact.kind, data=ArtefactInput(**fields), artefact=artefact)


def status_of(artefact: Artefact) -> str:
    artefact.refresh_from_db()
    return artefact.status


# --- the state machine -------------------------------------------------------------------------------


def test_a_new_artefact_is_a_private_draft_at_version_one(school, make_artefact):
    artefact = make_artefact()
    assert artefact.status == ArtefactStatus.DRAFT
    assert artefact.visibility == Visibility.PRIVATE
    assert artefact.current_version.number == 1
    assert artefact.current_version.submitted_for_review_at is None


def test_request_review_moves_a_draft_to_in_review(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    artefact.refresh_from_db()
    assert artefact.status == ArtefactStatus.IN_REVIEW
    assert artefact.current_version.submitted_for_review_at is not None


def test_request_review_grants_review_to_the_eligible_reviewers_only(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    assert list(permissions.reviewers_of(artefact)) == [school.course_teacher]


def test_sign_off_moves_in_review_to_signed_off(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    review = sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    assert status_of(artefact) == ArtefactStatus.SIGNED_OFF
    assert review.version == artefact.current_version
    assert review.reviewer == school.course_teacher


def test_cancel_review_returns_a_first_request_to_draft(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    cancel_review(artefact=artefact, student=school.student)
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_cancel_review_of_a_response_returns_to_draft_and_keeps_the_earlier_review(
    school, make_artefact, send_for_review, levels
):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    edit(artefact, student=school.student, course=school.course)
    assert status_of(artefact) == ArtefactStatus.IN_REVIEW
    cancel_review(artefact=artefact, student=school.student)
    # The current version (2) was never reviewed, so the artefact must not look signed off.
    assert status_of(artefact) == ArtefactStatus.DRAFT
    assert [review.version.number for review in artefact.reviews.all()] == [1]


def test_cancel_review_is_refused_when_nothing_waits_for_review(school, make_artefact):
    artefact = make_artefact()
    with pytest.raises(ValidationError) as caught:
        cancel_review(artefact=artefact, student=school.student)
    assert "not waiting for a review" in messages(caught)


def test_cancel_review_is_refused_for_another_student(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    with pytest.raises(ValidationError):
        cancel_review(artefact=artefact, student=school.other_student)
    assert status_of(artefact) == ArtefactStatus.IN_REVIEW


# --- versions ----------------------------------------------------------------------------------------


def test_editing_a_draft_adds_the_next_version(school, make_artefact):
    artefact = make_artefact(title="First thoughts")
    edit(artefact, student=school.student, title="Second thoughts", body="<p>More.</p>")
    artefact.refresh_from_db()
    assert artefact.current_version.number == 2
    assert artefact.current_version.title == "Second thoughts"
    assert artefact.status == ArtefactStatus.DRAFT


def test_editing_a_draft_keeps_the_earlier_version_unchanged(school, make_artefact):
    artefact = make_artefact(title="First thoughts", body="<p>Short.</p>", done_on=date(2026, 5, 1))
    first = artefact.current_version
    edit(artefact, student=school.student, title="Second thoughts", body="<p>Longer.</p>", competencies=[])
    first.refresh_from_db()
    assert (first.number, first.title, first.body, first.done_on) == (
        1,
        "First thoughts",
        "<p>Short.</p>",
        date(2026, 5, 1),
    )
    assert list(first.claimed_competencies.all()) == [school.trade]
    assert artefact.versions.count() == 2


def test_editing_an_artefact_in_review_is_refused(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    with pytest.raises(ValidationError) as caught:
        edit(artefact, student=school.student, course=school.course)
    assert "with a reviewer" in messages(caught)
    assert artefact.versions.count() == 1


def test_editing_another_students_artefact_is_refused(school, make_artefact):
    artefact = make_artefact()
    with pytest.raises(ValidationError) as caught:
        edit(artefact, student=school.other_student, competencies=[])
    assert "only your own" in messages(caught)
    assert artefact.versions.count() == 1


def test_editing_a_withdrawn_artefact_is_refused(school, make_artefact):
    artefact = make_artefact()
    withdraw_artefact(artefact=artefact, student=school.student)
    with pytest.raises(ValidationError) as caught:
        edit(artefact, student=school.student)
    assert "withdrawn" in messages(caught)


def test_responding_to_a_review_sends_the_new_version_straight_back(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="Add the customs documents.",
    )
    edit(artefact, student=school.student, course=school.course, title="With customs documents")
    artefact.refresh_from_db()
    assert artefact.status == ArtefactStatus.IN_REVIEW
    assert artefact.current_version.number == 2
    assert artefact.current_version.submitted_for_review_at is not None


def test_responding_to_a_review_keeps_the_earlier_review(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    review = sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="Add the customs documents.",
    )
    edit(artefact, student=school.student, course=school.course)
    kept = ArtefactReview.objects.get(artefact=artefact)
    assert kept == review
    assert kept.version.number == 1
    assert (kept.verdict, kept.level, kept.comment) == (
        ReviewVerdict.PARTIALLY_MEETS,
        levels[2],
        "Add the customs documents.",
    )


def test_a_response_can_be_signed_off_again(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    reviewer = school.course_teacher
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.PARTIALLY_MEETS, level=levels[2], comment="")
    edit(artefact, student=school.student, course=school.course)
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[4], comment="")
    assert status_of(artefact) == ArtefactStatus.SIGNED_OFF
    assert sorted(artefact.reviews.values_list("version__number", flat=True)) == [1, 2]


def test_a_second_sign_off_of_the_same_version_is_refused(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    with pytest.raises(ValidationError) as caught:
        sign_off(artefact=artefact, reviewer=school.admin, verdict=ReviewVerdict.MEETS, level=levels[4], comment="")
    assert "not waiting for a review" in messages(caught)
    assert artefact.reviews.count() == 1


# --- request_review refusals -------------------------------------------------------------------------


def test_request_review_is_refused_for_a_private_artefact(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    with pytest.raises(ValidationError) as caught:
        request_review(artefact=artefact, student=school.student)
    assert "Private artefacts" in messages(caught)
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_request_review_is_refused_without_claims(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, competencies=[])
    with pytest.raises(ValidationError) as caught:
        send_for_review(artefact)
    assert "Claim at least one" in messages(caught)
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_request_review_is_refused_when_nobody_can_review(school, make_artefact, send_for_review):
    # A reflection falls back to the class teachers; this class has none.
    school.cohort.teachers.clear()
    artefact = make_artefact(kind=ArtefactKind.REFLECTION)
    with pytest.raises(ValidationError) as caught:
        send_for_review(artefact)
    assert "Nobody can review this yet" in messages(caught)
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_request_review_is_refused_for_a_withdrawn_artefact(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.REVIEWERS)
    withdraw_artefact(artefact=artefact, student=school.student)
    with pytest.raises(ValidationError) as caught:
        request_review(artefact=artefact, student=school.student)
    assert "withdrawn" in messages(caught)


def test_request_review_is_refused_for_another_student(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.REVIEWERS)
    with pytest.raises(ValidationError) as caught:
        request_review(artefact=artefact, student=school.other_student)
    assert "only your own" in messages(caught)
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_request_review_is_refused_when_already_in_review(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    with pytest.raises(ValidationError) as caught:
        request_review(artefact=artefact, student=school.student)
    assert "Only a draft" in messages(caught)


# --- sign_off refusals -------------------------------------------------------------------------------


@pytest.fixture
def waiting(school, make_artefact, send_for_review):
    """A course-work artefact of ``school.student`` waiting for ``school.course_teacher``."""
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    return artefact


def test_sign_off_is_refused_for_someone_who_is_not_a_reviewer(school, waiting, levels):
    with pytest.raises(ValidationError) as caught:
        sign_off(
            artefact=waiting,
            reviewer=school.other_course_teacher,
            verdict=ReviewVerdict.MEETS,
            level=levels[3],
            comment="",
        )
    assert "not a reviewer" in messages(caught)
    assert status_of(waiting) == ArtefactStatus.IN_REVIEW


def test_sign_off_is_refused_for_the_student_even_with_review_rights(school, waiting, levels):
    permissions.grant_review(artefact=waiting, reviewer=school.student)
    with pytest.raises(ValidationError) as caught:
        sign_off(artefact=waiting, reviewer=school.student, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    assert "own work" in messages(caught)
    assert not waiting.reviews.exists()


def test_sign_off_is_refused_for_a_level_of_another_scale(school, waiting):
    foreign = ScaleFactory().levels_by_points[3]
    with pytest.raises(ValidationError) as caught:
        sign_off(
            artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=foreign, comment=""
        )
    assert "Choose a level of the scale" in messages(caught)


def test_sign_off_is_refused_for_meets_below_mastery(school, waiting, levels):
    with pytest.raises(ValidationError) as caught:
        sign_off(
            artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[2], comment=""
        )
    assert "at or above mastery" in messages(caught)


@pytest.mark.parametrize(
    ("verdict", "points"),
    [
        (ReviewVerdict.DOES_NOT_MEET, 3),
        (ReviewVerdict.DOES_NOT_MEET, 4),
        (ReviewVerdict.PARTIALLY_MEETS, 3),
        (ReviewVerdict.PARTIALLY_MEETS, 4),
    ],
)
def test_sign_off_is_refused_for_a_lower_verdict_at_or_above_mastery(school, waiting, levels, verdict, points):
    with pytest.raises(ValidationError) as caught:
        sign_off(artefact=waiting, reviewer=school.course_teacher, verdict=verdict, level=levels[points], comment="")
    assert "means the work meets" in messages(caught)
    assert status_of(waiting) == ArtefactStatus.IN_REVIEW


@pytest.mark.parametrize(("verdict", "points"), [(ReviewVerdict.DOES_NOT_MEET, 1), (ReviewVerdict.PARTIALLY_MEETS, 2)])
def test_sign_off_accepts_a_lower_verdict_below_mastery(school, waiting, levels, verdict, points):
    review = sign_off(
        artefact=waiting, reviewer=school.course_teacher, verdict=verdict, level=levels[points], comment=""
    )
    assert (review.verdict, review.level.points) == (verdict, points)


def test_sign_off_is_refused_for_an_unknown_verdict(school, waiting, levels):
    with pytest.raises(ValidationError) as caught:
        sign_off(artefact=waiting, reviewer=school.course_teacher, verdict="brilliant", level=levels[4], comment="")
    assert "Choose a verdict" in messages(caught)


def test_sign_off_is_refused_for_a_draft(school, make_artefact, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    with pytest.raises(ValidationError):
        sign_off(artefact=artefact, reviewer=school.admin, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    assert status_of(artefact) == ArtefactStatus.DRAFT


def test_sign_off_is_refused_once_the_artefact_is_withdrawn(school, waiting, levels):
    withdraw_artefact(artefact=waiting, student=school.student)
    with pytest.raises(ValidationError) as caught:
        sign_off(
            artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
        )
    assert "not waiting for a review" in messages(caught)


def test_sign_off_is_refused_after_the_review_request_is_cancelled(school, waiting, levels):
    cancel_review(artefact=waiting, student=school.student)
    with pytest.raises(ValidationError):
        sign_off(
            artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
        )
    assert not waiting.reviews.exists()


# --- withdrawal --------------------------------------------------------------------------------------


def test_withdrawing_hides_the_artefact_from_everyone_including_the_owner_list(school, make_artefact):
    artefact = make_artefact()
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PUBLIC)
    withdraw_artefact(artefact=artefact, student=school.student)
    portfolio = artefact.portfolio
    assert not permissions.artefacts_visible_to(school.student, portfolio).exists()
    assert not permissions.artefacts_visible_to(school.class_teacher, portfolio).exists()
    assert not permissions.artefacts_visible_to(UserFactory(), portfolio).exists()


def test_withdrawing_keeps_verified_evidence(school, waiting, levels):
    sign_off(artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    before = list(EvidenceRecord.objects.active().filter(student=school.student))
    withdraw_artefact(artefact=waiting, student=school.student)
    assert list(EvidenceRecord.objects.active().filter(student=school.student)) == before
    assert len(before) == 1


def test_withdrawing_keeps_the_artefact_and_its_versions(school, make_artefact):
    artefact = make_artefact()
    withdraw_artefact(artefact=artefact, student=school.student)
    artefact.refresh_from_db()
    assert artefact.withdrawn_at is not None
    assert artefact.versions.count() == 1


def test_withdrawing_an_artefact_waiting_for_review_takes_it_back_to_draft(school, waiting):
    withdraw_artefact(artefact=waiting, student=school.student)
    assert status_of(waiting) == ArtefactStatus.DRAFT


def test_withdrawing_a_signed_off_artefact_keeps_it_signed_off(school, waiting, levels):
    sign_off(artefact=waiting, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    withdraw_artefact(artefact=waiting, student=school.student)
    assert status_of(waiting) == ArtefactStatus.SIGNED_OFF


def test_withdrawing_is_refused_for_another_student(school, make_artefact):
    artefact = make_artefact()
    with pytest.raises(ValidationError):
        withdraw_artefact(artefact=artefact, student=school.other_student)
    artefact.refresh_from_db()
    assert artefact.withdrawn_at is None


# --- ordering ----------------------------------------------------------------------------------------


def positions(*artefacts: Artefact) -> list[int]:
    return [Artefact.objects.get(pk=a.pk).sort_order for a in artefacts]


def test_new_artefacts_are_added_at_the_end(school, make_artefact):
    a, b, c = (make_artefact(title=t) for t in "abc")
    assert positions(a, b, c) == [1, 2, 3]


def test_moving_an_artefact_up_swaps_it_with_the_one_above(school, make_artefact):
    a, b, c = (make_artefact(title=t) for t in "abc")
    move_artefact(artefact=c, student=school.student, offset=-1)
    # a b c → a c b: a stays 1, c becomes 2, b becomes 3.
    assert positions(a, b, c) == [1, 3, 2]


def test_moving_an_artefact_down_by_two(school, make_artefact):
    a, b, c, d = (make_artefact(title=t) for t in "abcd")
    move_artefact(artefact=a, student=school.student, offset=2)
    # a b c d → b c a d.
    assert positions(a, b, c, d) == [3, 1, 2, 4]


def test_moving_past_the_ends_stops_at_the_ends(school, make_artefact):
    a, b, c = (make_artefact(title=t) for t in "abc")
    move_artefact(artefact=b, student=school.student, offset=-10)
    # a b c → b a c.
    assert positions(a, b, c) == [2, 1, 3]
    move_artefact(artefact=b, student=school.student, offset=10)
    # b a c → a c b.
    assert positions(a, b, c) == [1, 3, 2]


def test_moving_skips_withdrawn_artefacts_and_renumbers_the_rest(school, make_artefact):
    a, b, c = (make_artefact(title=t) for t in "abc")
    withdraw_artefact(artefact=b, student=school.student)
    move_artefact(artefact=c, student=school.student, offset=-1)
    # Current artefacts a(1) c(3) → c a, renumbered c=1, a=2; withdrawn b keeps its 2.
    assert positions(a, b, c) == [2, 2, 1]


def test_moving_a_withdrawn_artefact_is_refused(school, make_artefact):
    a, b = make_artefact(title="a"), make_artefact(title="b")
    withdraw_artefact(artefact=b, student=school.student)
    with pytest.raises(ValidationError):
        move_artefact(artefact=b, student=school.student, offset=-1)
    assert positions(a, b) == [1, 2]


def test_moving_another_students_artefact_is_refused(school, make_artefact):
    a, b = make_artefact(title="a"), make_artefact(title="b")
    with pytest.raises(ValidationError):
        move_artefact(artefact=b, student=school.other_student, offset=-1)
    assert positions(a, b) == [1, 2]


def test_ordering_is_per_portfolio(school, make_artefact):
    mine = make_artefact(title="mine")
    theirs = make_artefact(title="theirs", student=school.other_student)
    assert positions(mine, theirs) == [1, 1]


# --- who may review ----------------------------------------------------------------------------------


def test_course_work_is_reviewed_by_the_course_teachers(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, course=school.course)
    assert eligible_reviewers(artefact=artefact) == [school.course_teacher]


def test_course_work_of_another_course_is_reviewed_by_that_course_teachers(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, course=school.other_course)
    assert eligible_reviewers(artefact=artefact) == [school.other_course_teacher]


def test_an_internship_is_reviewed_by_its_mentor(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.INTERNSHIP)
    assert eligible_reviewers(artefact=artefact) == [school.mentor]


def test_a_certificate_without_a_course_is_reviewed_by_the_class_teachers(school, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.CERTIFICATE)
    assert eligible_reviewers(artefact=artefact) == [school.class_teacher]


def test_class_teachers_of_another_cohort_do_not_review(school, make_artefact):
    elsewhere = CohortFactory(programme=school.programme, name="Class B")
    elsewhere.teachers.add(UserFactory(username="b.teacher", roles=["Teachers"]))
    artefact = make_artefact(kind=ArtefactKind.CERTIFICATE)
    assert eligible_reviewers(artefact=artefact) == [school.class_teacher]


def test_inactive_people_do_not_review(school, make_artefact):
    school.class_teacher.is_active = False
    school.class_teacher.save()
    artefact = make_artefact(kind=ArtefactKind.CERTIFICATE)
    assert eligible_reviewers(artefact=artefact) == []


@pytest.fixture
def entry(school):
    """A team of ``school.student`` with an advisor and ``school.mentor``, and its submitted entry."""
    setup = judging_fixtures.build_round()
    advisor = UserFactory(username="advisor", roles=["Teachers"])
    team = judging_fixtures.make_team(setup, members=[school.student], advisor=advisor, mentor=school.mentor)
    submission = judging_fixtures.submit(setup, team=team)
    return _Entry(
        key=f"competitions.entry:{team.pk}:{submission.task_id}", advisor=advisor, setup=setup, submission=submission
    )


class _Entry:
    def __init__(self, **parts):
        self.__dict__.update(parts)


def test_a_competition_entry_is_reviewed_by_the_team_advisor_and_mentor(school, make_artefact, entry):
    artefact = make_artefact(kind=ArtefactKind.COMPETITION_ENTRY, linked_work_key=entry.key)
    assert set(eligible_reviewers(artefact=artefact)) == {entry.advisor, school.mentor}


def test_linking_a_competition_entry_records_its_title_and_address(school, make_artefact, entry):
    artefact = make_artefact(kind=ArtefactKind.COMPETITION_ENTRY, linked_work_key=entry.key)
    version = artefact.current_version
    assert entry.setup.competition.title in version.linked_work_title
    assert version.linked_work_url == reverse("participation:submission", args=[entry.submission.pk])


def test_linking_someone_elses_competition_entry_is_refused(school, make_artefact, entry):
    other_team = judging_fixtures.make_team(entry.setup, members=[school.other_student])
    theirs = judging_fixtures.submit(entry.setup, team=other_team)
    with pytest.raises(ValidationError) as caught:
        make_artefact(
            kind=ArtefactKind.COMPETITION_ENTRY, linked_work_key=f"competitions.entry:{other_team.pk}:{theirs.task_id}"
        )
    assert "your own competition entries" in messages(caught)
    assert not Artefact.objects.filter(kind=ArtefactKind.COMPETITION_ENTRY).exists()


def test_a_competition_entry_review_request_goes_to_the_advisor_and_mentor(
    school, make_artefact, send_for_review, entry
):
    artefact = make_artefact(kind=ArtefactKind.COMPETITION_ENTRY, linked_work_key=entry.key)
    send_for_review(artefact)
    assert set(permissions.reviewers_of(artefact)) == {entry.advisor, school.mentor}


def test_a_new_version_for_another_course_takes_review_rights_from_the_earlier_course_teacher(
    school, make_artefact, send_for_review, levels
):
    other_course_teacher = school.other_course_teacher
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    edit(artefact, student=school.student, course=school.other_course)  # a response: back to review
    assert list(permissions.reviewers_of(artefact)) == [other_course_teacher]
    with pytest.raises(ValidationError):
        sign_off(
            artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
        )


@pytest.mark.parametrize(
    ("field", "limit"), [("title", 200), ("enterprise", 160), ("issuer", 160), ("certificate_number", 80)]
)
def test_a_field_longer_than_its_column_is_refused_with_a_message(school, make_artefact, field, limit):
    kind = ArtefactKind.CERTIFICATE if field in {"issuer", "certificate_number"} else ArtefactKind.INTERNSHIP
    with pytest.raises(ValidationError) as caught:
        make_artefact(kind=kind, **{field: "长" * (limit + 1)})
    assert caught.value.message_dict[field] == [f"At most {limit} characters, please."]
