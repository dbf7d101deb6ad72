"""Organisers' admin views: judging, results and finalisation; everyone else is refused."""

import pytest
from django.urls import reverse

from competitions.models import JudgeAssignment, RoundFinalisation, RoundJudge, RoundResult
from lms.services import grant_course_section
from tests.competitions.test_finalisation import judged  # noqa: F401 — fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(judged, teacher):  # noqa: F811
    grant_course_section(section=judged["round"].get_parent().get_parent())
    return teacher


@pytest.mark.parametrize("view", ["competitions_admin_judging", "competitions_admin_results"])
def test_organiser_opens_the_round_views(client, judged, organiser, view):  # noqa: F811
    client.force_login(organiser)
    response = client.get(reverse(view, args=[judged["round"].pk]))
    assert response.status_code == 200
    assert judged["round"].title in response.content.decode()


@pytest.mark.parametrize("role", ["Teachers", "Judges", "Enterprise mentors"])
@pytest.mark.parametrize("view", ["competitions_admin_judging", "competitions_admin_results"])
def test_people_who_do_not_organise_the_competition_get_404(client, judged, role, view):  # noqa: F811
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse(view, args=[judged["round"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["Students", "Employers"])
def test_students_and_employers_never_reach_the_admin(client, judged, role):  # noqa: F811
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse("competitions_admin_results", args=[judged["round"].pk]))
    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_log_in(client, judged):  # noqa: F811
    response = client.get(reverse("competitions_admin_results", args=[judged["round"].pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_organiser_finalises_with_an_award_and_can_reopen(client, judged, organiser):  # noqa: F811
    client.force_login(organiser)
    url = reverse("competitions_admin_results", args=[judged["round"].pk])
    preview = client.get(url).content.decode()
    assert "90.00" in preview and "70.00" in preview
    winner = judged["teams"]["B"]
    client.post(url, {f"award-{winner.pk}": "custom", f"award-title-{winner.pk}": "Best listing"})
    result = RoundResult.objects.get(team=winner)
    assert (result.award, result.award_title, result.rank) == ("custom", "Best listing", 1)
    client.post(url, {"reopen": "1", "reason": "Judge asked to re-mark"})
    assert RoundFinalisation.objects.get().reopen_reason == "Judge asked to re-mark"


def test_non_organiser_cannot_finalise_by_posting(client, judged):  # noqa: F811
    client.force_login(UserFactory(roles=["Teachers"]))
    response = client.post(reverse("competitions_admin_results", args=[judged["round"].pk]), {})
    assert response.status_code == 404
    assert not RoundFinalisation.objects.exists()


def test_organiser_assigns_judges_automatically(client, judged, organiser):  # noqa: F811
    round_page = judged["round"]
    for judge in judged["judges"]:
        RoundJudge.objects.create(round=round_page, judge=judge)
    client.force_login(organiser)
    response = client.post(reverse("competitions_admin_judging", args=[round_page.pk]), {"automatic": "1"}, follow=True)
    assert response.status_code == 200


def test_organiser_sees_recusals_with_their_reasons(client, judged, organiser):  # noqa: F811
    from django.utils import timezone

    assignment = JudgeAssignment.objects.filter(team=judged["teams"]["A"]).first()
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = "I coached this team last term"
    assignment.save()
    client.force_login(organiser)
    body = client.get(reverse("competitions_admin_judging", args=[judged["round"].pk])).content.decode()
    assert "I coached this team last term" in body


def test_organiser_imports_external_results_with_a_preview(client, judged, organiser):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.models import EvidenceRecord

    student = judged["teams"]["A"].memberships.first().student
    competition = judged["round"].get_parent().specific
    csv = f"学号,任务,评分项,成绩\n{student.username},Product listing 0,Listing quality 0,9\n".encode()
    client.force_login(organiser)
    url = reverse("competitions_admin_import")
    preview = client.post(url, {"competition": competition.pk, "file": SimpleUploadedFile("r.csv", csv)})
    assert "Confirm and import" in preview.content.decode()
    assert not EvidenceRecord.objects.filter(student=student).exists()
    client.post(url, {"token": preview.context["confirm_form"].initial["token"]})
    assert EvidenceRecord.objects.active().get(student=student).score.to_eng_string() == "3.60"  # 9/10 × 4


def test_competitions_others_organise_are_not_offered_for_import(client, judged):  # noqa: F811
    client.force_login(UserFactory(roles=["Teachers"]))
    response = client.get(reverse("competitions_admin_import"))
    assert response.status_code == 200
    assert 'name="competition"' in response.content.decode()
    assert judged["round"].get_parent().title not in response.content.decode()
