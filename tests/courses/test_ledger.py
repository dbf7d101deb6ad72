"""The evidence ledger is append-only: corrections and retractions are new rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import EvidenceRecord, LedgerIsAppendOnly
from courses.selectors import evidence_history
from courses.services import (
    EvidenceDraft,
    record_evidence,
    replace_source_evidence,
    retract_evidence,
    supersede_evidence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(student, competency, teacher):
    return record_evidence(
        student=student,
        competency=competency,
        score=Decimal("2.5"),
        done_on=date(2026, 5, 1),
        source_kind="certificate",
        source_title="1+X certificate",
        recorded_by=teacher,
    )


def test_recorded_row_gets_the_level_its_score_reaches(row):
    assert row.level.name == "Developing"  # 2.5 reaches 2 (Developing), not 3


def test_saving_an_existing_row_is_refused(row):
    row.score = Decimal("4")
    with pytest.raises(LedgerIsAppendOnly):
        row.save()
    assert EvidenceRecord.objects.get(pk=row.pk).score == Decimal("2.50")


def test_deleting_a_row_is_refused(row):
    with pytest.raises(LedgerIsAppendOnly):
        row.delete()
    assert EvidenceRecord.objects.filter(pk=row.pk).exists()


def test_bulk_update_and_delete_are_refused(row):
    with pytest.raises(LedgerIsAppendOnly):
        EvidenceRecord.objects.filter(pk=row.pk).update(score=Decimal("4"))
    with pytest.raises(LedgerIsAppendOnly):
        EvidenceRecord.objects.all().delete()
    assert EvidenceRecord.objects.count() == 1


def test_a_row_names_an_outcome_or_a_competency_never_both(student, competency, teacher):
    with pytest.raises(ValidationError):
        record_evidence(
            student=student,
            score=Decimal("1"),
            done_on=date(2026, 1, 1),
            source_kind="certificate",
            source_title="x",
            recorded_by=teacher,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceRecord.objects.create(
            student=student,
            score=Decimal("1"),
            done_on=date(2026, 1, 1),
            source_kind="certificate",
            source_title="x",
            recorded_by=teacher,
        )


@pytest.mark.parametrize("score", ["-0.01", "4.01"])
def test_scores_outside_the_scale_are_refused(student, competency, teacher, score):
    with pytest.raises(ValidationError, match="outside the scale"):
        record_evidence(
            student=student,
            competency=competency,
            score=Decimal(score),
            done_on=date(2026, 1, 1),
            source_kind="certificate",
            source_title="x",
            recorded_by=teacher,
        )


def test_evidence_cannot_be_dated_in_the_future(student, competency, teacher):
    with pytest.raises(ValidationError, match="future"):
        record_evidence(
            student=student,
            competency=competency,
            score=Decimal("1"),
            done_on=timezone.localdate() + timedelta(days=1),  # the school's calendar day, not the server's
            source_kind="certificate",
            source_title="x",
            recorded_by=teacher,
        )


def test_superseding_keeps_the_old_row_and_links_the_new_one(row, teacher):
    new = supersede_evidence(record=row, score=Decimal("3"), recorded_by=teacher, note="Re-marked")
    assert new.supersedes == row
    assert list(EvidenceRecord.objects.active()) == [new]
    assert EvidenceRecord.objects.count() == 2
    assert evidence_history(record=new) == [new, row]


def test_a_superseded_row_cannot_be_superseded_again(row, teacher):
    supersede_evidence(record=row, score=Decimal("3"), recorded_by=teacher, note="Re-marked")
    with pytest.raises(ValidationError, match="newest version"):
        supersede_evidence(record=row, score=Decimal("1"), recorded_by=teacher, note="Again")


def test_corrections_need_a_reason(row, teacher):
    with pytest.raises(ValidationError, match="why"):
        supersede_evidence(record=row, score=Decimal("3"), recorded_by=teacher, note=" ")
    with pytest.raises(ValidationError, match="why"):
        retract_evidence(record=row, recorded_by=teacher, note="")


def test_retraction_removes_the_row_from_the_active_ledger(row, teacher):
    retraction = retract_evidence(record=row, recorded_by=teacher, note="Certificate revoked by issuer")
    assert retraction.is_retraction
    assert not EvidenceRecord.objects.active().exists()
    assert EvidenceRecord.objects.count() == 2


def test_replacing_a_sources_evidence_supersedes_instead_of_duplicating(student, competency, teacher):
    other = competency.framework.competencies.create(code="OTHER", name="Other")

    def replace(score_a, score_b=None):
        drafts = [
            EvidenceDraft(student=student, competency=competency, score=Decimal(score_a), done_on=date(2026, 4, 1))
        ]
        if score_b is not None:
            drafts.append(
                EvidenceDraft(student=student, competency=other, score=Decimal(score_b), done_on=date(2026, 4, 1))
            )
        return replace_source_evidence(
            source_key="test:round:1",
            drafts=drafts,
            source_kind="competition_task",
            source_title="Round 1",
            recorded_by=teacher,
        )

    assert len(replace("2", "3")) == 2
    assert replace("2", "3") == []  # unchanged: nothing written
    changed = replace("3", "3")
    assert len(changed) == 1 and changed[0].supersedes.score == Decimal("2.00")
    dropped = replace("3")
    assert len(dropped) == 1 and dropped[0].is_retraction
    active = EvidenceRecord.objects.active().filter(source_key="test:round:1")
    assert [(r.competency, r.score) for r in active] == [(competency, Decimal("3.00"))]
    assert EvidenceRecord.objects.filter(source_key="test:round:1").count() == 4
