"""Briefs validate with messages an organiser understands."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from competitions.models import Criterion, CriterionAlignment, RoundPage
from tests.competitions.judging_fixtures import build_round

pytestmark = pytest.mark.django_db


def new_round(setup, **fields):
    """An unsaved round about to be added to the competition, as the admin's create form has it."""
    now = timezone.now()
    values = {"title": "Final", "slug": "final", "opens_at": now, "submission_deadline": now + timedelta(days=3)}
    values.update(fields)
    page = RoundPage(**values)
    page.validation_parent = setup.competition
    return page


def test_a_final_needs_an_advancement_rule_on_the_round_before_it():
    setup = build_round()  # its preliminary has no advancement rule
    final = new_round(setup, kind="final")
    with pytest.raises(ValidationError) as error:
        final.clean()
    assert "A final needs an advancement rule on the round before it (“Preliminary”)" in str(error.value)
    setup.round_page.advancement_rule = "top_n"
    setup.round_page.advance_top_n = 3
    setup.round_page.save()
    final.clean()  # now valid


def test_the_admin_form_tells_a_new_round_its_competition(admin_client):
    from django.urls import reverse

    setup = build_round()
    url = reverse("wagtailadmin_pages:add", args=["competitions", "roundpage", setup.competition.pk])
    response = admin_client.post(
        url,
        {
            "title": "Final",
            "slug": "final",
            "kind": "final",
            "opens_at": "2026-12-01 09:00",
            "submission_deadline": "2026-12-05 09:00",
            "late_policy": "refuse",
            "late_penalty_percent": "0",
            "advancement_rule": "none",
            "results_visibility": "public",
            "judges-TOTAL_FORMS": "0",
            "judges-INITIAL_FORMS": "0",
            "judges-MIN_NUM_FORMS": "0",
            "judges-MAX_NUM_FORMS": "1000",
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
            "tasks-MIN_NUM_FORMS": "1",
            "tasks-MAX_NUM_FORMS": "1000",
        },
    )
    assert "A final needs an advancement rule on the round before it" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"advancement_rule": "top_n"}, "advance_top_n", "Say how many teams advance."),
        ({"advancement_rule": "threshold"}, "advance_threshold", "Give the score a team needs to advance."),
        ({"late_policy": "flag"}, "late_deadline", "Say until when late submissions are accepted."),
    ],
)
def test_round_rules_need_their_numbers(fields, field, message):
    page = new_round(build_round(), **fields)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert error.value.message_dict[field] == [message]


def test_deadline_must_follow_opening():
    now = timezone.now()
    page = new_round(build_round(), opens_at=now, submission_deadline=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert error.value.message_dict["submission_deadline"] == ["The deadline must come after the round opens."]


def test_registration_must_close_after_it_opens():
    competition = build_round().competition
    competition.registration_closes = competition.registration_opens - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        competition.full_clean()
    assert error.value.message_dict["registration_closes"] == ["Registration must close after it opens."]


def test_criterion_weight_must_be_positive_and_levels_within_its_points():
    task = build_round().task
    with pytest.raises(ValidationError, match=r"The weight must be above 0\."):
        Criterion(task=task, title="Bad", weight=Decimal("0"), max_points=Decimal("10")).clean()
    criterion = Criterion(
        task=task,
        title="Levels",
        weight=Decimal("1"),
        max_points=Decimal("10"),
        levels=[("level", {"label": "Too many", "points": Decimal("12"), "descriptor": "x"})],
    )
    with pytest.raises(ValidationError, match=r"Level “Too many” has more points than the criterion's maximum\."):
        criterion.clean()


def test_criterion_alignment_weight_must_be_in_0_1():
    with pytest.raises(ValidationError, match="above 0 and at most 1"):
        CriterionAlignment(weight=Decimal("1.5")).clean()
