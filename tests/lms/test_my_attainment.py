from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.services import record_evidence
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_a_student_sees_their_competencies_and_the_evidence_behind_them(client, student, competency, teacher):
    EnrolmentFactory(cohort=CohortFactory(programme__framework=competency.framework), student=student)
    record_evidence(
        student=student,
        competency=competency,
        score=Decimal("3.5"),
        done_on=date(2026, 3, 1),
        source_kind="certificate",
        source_title="1+X certificate",
        recorded_by=teacher,
    )
    client.force_login(student)
    body = client.get(reverse("my_attainment")).content.decode()
    assert "Economic and trade knowledge" in body
    assert "3.50" in body and "1+X certificate" in body
    assert "Mastered" in body  # 3.5 ≥ 3 (mastery)


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(reverse("my_attainment"))
    assert response.status_code == 302


def test_a_person_without_a_programme_is_told_so(client, teacher):
    client.force_login(teacher)
    assert "not enrolled in a programme" in client.get(reverse("my_attainment")).content.decode()
