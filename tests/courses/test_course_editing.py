"""Editing course pages in the admin: outcomes with evidence cannot be dropped."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CourseOutcome
from courses.services import record_evidence
from tests.factories import course_index, course_page, outcome

pytestmark = pytest.mark.django_db


def edit_data(page, lo, *, delete: bool) -> dict:
    alignment = lo.alignments.get()
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "code": page.code,
            "credits": "2.0",
            "term": page.term,
            "track": "",
            "summary": "",
            "teachers": inline_formset([]),
            "outcomes": inline_formset(
                [
                    {
                        "id": lo.pk,
                        "code": lo.code,
                        "description": "Revised description",
                        "ORDER": "1",
                        "DELETE": "on" if delete else "",
                        "alignments": inline_formset(
                            [{"id": alignment.pk, "competency": alignment.competency_id, "weight": "1", "ORDER": "1"}],
                            initial=1,
                        ),
                    }
                ],
                initial=1,
            ),
            "syllabus": streamfield([]),
            "action-publish": "action-publish",
        }
    )


@pytest.fixture
def page_with_outcome(competency):
    page = course_page(index=course_index(), code="LOG101", title="Logistics")
    return page, outcome(course=page, code="LO1", aligned=[(competency, "1")])


def test_publishing_a_revised_outcome_updates_the_page(admin_client, page_with_outcome):
    page, lo = page_with_outcome
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_data(page, lo, delete=False))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CourseOutcome.objects.get(pk=lo.pk).description == "Revised description"


def test_an_outcome_with_evidence_cannot_be_removed(admin_client, page_with_outcome, student, teacher):
    page, lo = page_with_outcome
    record_evidence(
        student=student,
        outcome=lo,
        score=Decimal("3"),
        done_on=date(2026, 1, 1),
        source_kind="course_assessment",
        source_title="Exam",
        recorded_by=teacher,
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_data(page, lo, delete=True))
    assert response.status_code == 200
    assert "already has evidence recorded against it" in response.content.decode()
    assert CourseOutcome.objects.filter(pk=lo.pk).exists()


def test_an_outcome_a_competition_criterion_uses_cannot_be_removed(admin_client, page_with_outcome):
    from competitions.models import CriterionAlignment
    from tests.competitions.judging_fixtures import build_round

    page, lo = page_with_outcome
    criterion = build_round().task.criteria.first()
    CriterionAlignment.objects.create(criterion=criterion, outcome=lo, weight=Decimal("1"))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_data(page, lo, delete=True))
    assert response.status_code == 200
    assert "Outcome LO1 is still used by criterion alignment" in response.content.decode()
    assert CourseOutcome.objects.filter(pk=lo.pk).exists()
