"""Signing off an artefact writes evidence to the ledger; a re-verification supersedes it, never overwrites it.

The school's framework uses the mean; LO1 is aligned to TRADE with weight 1.0, so an LO1 row counts towards
TRADE at full weight.
"""

from datetime import date
from decimal import Decimal

import pytest

from courses.models import EvidenceRecord, EvidenceSourceKind
from courses.selectors import attainment_for_student
from portfolios.models import ArtefactKind, ReviewVerdict
from portfolios.services import ArtefactInput, artefact_source_key, save_artefact, sign_off, withdraw_artefact


def reviewer_for(school, kind: str):
    return {
        ArtefactKind.COURSE_WORK: school.course_teacher,
        ArtefactKind.INTERNSHIP: school.mentor,
    }.get(kind, school.class_teacher)


def respond(school, artefact, **fields):
    """The student answers a review with a new version (course work of ``school.course`` by default)."""
    fields.setdefault("title", "Revised")
    fields.setdefault("done_on", date(2026, 6, 1))
    fields.setdefault("course", school.course)
    return save_artefact(student=school.student, kind=artefact.kind, data=ArtefactInput(**fields), artefact=artefact)


def active_rows(school):
    return EvidenceRecord.objects.active().filter(student=school.student)


def trade_figure(school):
    figures = attainment_for_student(student=school.student, framework=school.framework, explain=True)
    return next(figure for figure in figures if figure.competency == school.trade)


def test_sign_off_writes_one_row_per_claimed_outcome_and_competency(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(
        kind=ArtefactKind.COURSE_WORK, outcomes=[school.lo1], competencies=[school.trade, school.comm]
    )
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment=""
    )
    rows = active_rows(school)
    assert sorted((str(row.outcome or row.competency)) for row in rows) == sorted(
        [str(school.lo1), str(school.trade), str(school.comm)]
    )
    assert rows.count() == 3


def test_evidence_rows_carry_the_level_points_the_date_the_work_was_done_and_the_reviewer(
    school, make_artefact, send_for_review, levels
):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, title="Amazon listing", done_on=date(2026, 4, 12))
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.MEETS,
        level=levels[4],
        comment="Excellent",
    )
    row = active_rows(school).get()
    assert row.score == Decimal("4.00")
    assert row.done_on == date(2026, 4, 12)
    assert row.recorded_by == school.course_teacher
    assert row.competency == school.trade
    assert row.source_key == artefact_source_key(artefact)
    assert row.source_title == "Amazon listing"
    assert row.source_url == artefact.portfolio.url


@pytest.mark.parametrize(
    ("kind", "source_kind"),
    [
        (ArtefactKind.CERTIFICATE, EvidenceSourceKind.CERTIFICATE),
        (ArtefactKind.INTERNSHIP, EvidenceSourceKind.INTERNSHIP),
        (ArtefactKind.COURSE_WORK, EvidenceSourceKind.PORTFOLIO_ARTEFACT),
        (ArtefactKind.PRACTICE, EvidenceSourceKind.PORTFOLIO_ARTEFACT),
        (ArtefactKind.REFLECTION, EvidenceSourceKind.PORTFOLIO_ARTEFACT),
    ],
)
def test_evidence_source_kind_follows_the_artefact_kind(
    school, make_artefact, send_for_review, levels, kind, source_kind
):
    artefact = make_artefact(kind=kind)
    send_for_review(artefact)
    reviewer = reviewer_for(school, kind)
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    row = active_rows(school).get()
    assert row.source_kind == source_kind
    assert row.recorded_by == reviewer


def test_a_lower_verdict_records_its_lower_level(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.DOES_NOT_MEET,
        level=levels[1],
        comment="",
    )
    assert active_rows(school).get().score == Decimal("1.00")


def test_nothing_is_written_before_sign_off(school, make_artefact, send_for_review):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    assert not EvidenceRecord.objects.filter(student=school.student).exists()


def test_reverification_supersedes_the_earlier_row_and_keeps_it(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, done_on=date(2026, 3, 1))
    send_for_review(artefact)
    reviewer = school.course_teacher
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.PARTIALLY_MEETS, level=levels[2], comment="")
    first = active_rows(school).get()
    respond(school, artefact, done_on=date(2026, 5, 1), competencies=[school.trade])
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[4], comment="")
    first.refresh_from_db()
    second = active_rows(school).get()
    assert first.superseded_by == second
    assert (first.score, first.done_on) == (Decimal("2.00"), date(2026, 3, 1))
    assert (second.score, second.done_on) == (Decimal("4.00"), date(2026, 5, 1))
    assert EvidenceRecord.objects.filter(student=school.student).count() == 2


def test_a_response_writes_nothing_until_it_is_signed_off(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="",
    )
    before = list(active_rows(school))
    respond(school, artefact, competencies=[school.trade])
    assert list(active_rows(school)) == before


def test_a_claim_dropped_in_a_reverified_version_is_retracted(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK, competencies=[school.trade, school.comm])
    send_for_review(artefact)
    reviewer = school.course_teacher
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    respond(school, artefact, competencies=[school.trade])
    sign_off(artefact=artefact, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[4], comment="")
    assert [row.competency for row in active_rows(school)] == [school.trade]
    assert (
        EvidenceRecord.objects.filter(student=school.student, competency=school.comm).count() == 2
    )  # row + retraction


def test_evidence_of_one_artefact_does_not_touch_another(school, make_artefact, send_for_review, levels):
    first = make_artefact(kind=ArtefactKind.COURSE_WORK, title="First")
    second = make_artefact(kind=ArtefactKind.COURSE_WORK, title="Second")
    for artefact, points in ((first, 3), (second, 4)):
        send_for_review(artefact)
        sign_off(
            artefact=artefact,
            reviewer=school.course_teacher,
            verdict=ReviewVerdict.MEETS,
            level=levels[points],
            comment="",
        )
    assert sorted(row.score for row in active_rows(school)) == [Decimal("3.00"), Decimal("4.00")]


def test_reverification_changes_the_students_attainment(school, make_artefact, send_for_review, levels):
    reviewer = school.course_teacher
    through_outcome = make_artefact(
        kind=ArtefactKind.COURSE_WORK, title="Listing", outcomes=[school.lo1], competencies=[], done_on=date(2026, 3, 1)
    )
    direct = make_artefact(kind=ArtefactKind.COURSE_WORK, title="Pricing", done_on=date(2026, 4, 1))
    send_for_review(through_outcome)
    sign_off(
        artefact=through_outcome,
        reviewer=reviewer,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="",
    )
    send_for_review(direct)
    sign_off(artefact=direct, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[4], comment="")
    # Mean of LO1 (2, alignment weight 1.0) and TRADE (4, weight 1): (1.0·2 + 1·4) / (1.0 + 1) = 3.00.
    before = trade_figure(school)
    assert (before.value, before.evidence_count, before.level) == (Decimal("3.00"), 2, levels[3])

    respond(school, through_outcome, outcomes=[school.lo1], done_on=date(2026, 5, 1))
    sign_off(artefact=through_outcome, reviewer=reviewer, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    # The LO1 row at 2 is superseded by one at 3: (1.0·3 + 1·4) / 2 = 3.50, still "Proficient" (3 ≤ 3.5 < 4).
    after = trade_figure(school)
    assert (after.value, after.evidence_count, after.level) == (Decimal("3.50"), 2, levels[3])
    assert sorted(item.score for item in after.evidence) == [Decimal("3.00"), Decimal("4.00")]


def test_withdrawn_artefacts_still_count_towards_attainment(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact, reviewer=school.course_teacher, verdict=ReviewVerdict.MEETS, level=levels[4], comment=""
    )
    withdraw_artefact(artefact=artefact, student=school.student)
    # One TRADE row at 4: mean 4.00.
    assert trade_figure(school).value == Decimal("4.00")
