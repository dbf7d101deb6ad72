"""Judges' pages: who may open them, blind judging, the scoring form and the queue's query budget."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.models import JudgeAssignment, Score
from competitions.services.judging import record_score
from tests.competitions.judging_fixtures import add_judge, assign, build_round, finalise, make_team, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def entry():
    """Team "Silk Road Sellers" (member 陈小红), judged by one panel judge; a second panel judge is unassigned."""
    setup = build_round(judges=2)
    member = UserFactory(username="member1", first_name="小红", last_name="陈")
    team = make_team(setup, name="Silk Road Sellers", members=[member])
    submit(setup, team=team, body="<p>Listing for a <strong>bamboo board</strong><script>steal()</script></p>")
    assignment = assign(setup, team=team, judge=setup.judges[0])
    return setup, team, member, assignment


def login_as(client, setup, member, role):
    users = {
        "assigned judge": lambda: setup.judges[0],
        "other judge": lambda: setup.judges[1],
        "team member": lambda: member,
        "other student": lambda: UserFactory(roles=["Students"]),
        "anonymous": lambda: None,
    }
    user = users[role]()
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("url_name", ["judging:score", "judging:recuse"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("assigned judge", 200),
        ("other judge", 404),
        ("team member", 404),
        ("other student", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_open_an_assignment(client, entry, url_name, role, expected):
    setup, _team, member, assignment = entry
    login_as(client, setup, member, role)
    response = client.get(reverse(url_name, args=[assignment.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_an_assignment_that_does_not_exist_is_404(client, entry):
    setup, _team, _member, _assignment = entry
    client.force_login(setup.judges[0])
    assert client.get(reverse("judging:score", args=[999999])).status_code == 404


def test_queue_needs_a_login(client):
    response = client.get(reverse("judging:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_queue_lists_only_the_judges_own_assignments_with_progress(client, entry):
    setup, _team, _member, assignment = entry
    other_team = make_team(setup, name="Maple Traders")
    assign(setup, team=other_team, judge=setup.judges[1])
    record_score(
        assignment=assignment,
        criterion=setup.criteria()[0],
        points=D(7),
        comment="",
        judge=setup.judges[0],
        based_on=None,
    )
    client.force_login(setup.judges[0])
    body = client.get(reverse("judging:queue")).content.decode()
    assert "Silk Road Sellers" in body
    assert "Maple Traders" not in body
    assert '<progress class="measure__meter" value="1" max="2"' in body
    assert reverse("judging:score", args=[assignment.pk]) in body


def test_scoring_page_shows_the_work_rubric_and_levels(client, entry):
    setup, _team, _member, assignment = entry
    client.force_login(setup.judges[0])
    body = client.get(reverse("judging:score", args=[assignment.pk])).content.decode()
    assert "Silk Road Sellers" in body and "陈小红" in body
    assert "<strong>bamboo board</strong>" in body and "steal()" not in body
    assert "https://shop.example.com/listing/1" in body
    assert "Quality" in body and "Pricing" in body
    assert "Exemplary work" in body  # a level descriptor
    assert 'max="10.00"' in body and 'max="20.00"' in body and 'min="0"' in body


def test_blind_judging_hides_team_and_member_names(client):
    setup = build_round(judges=1, blind=True)
    member = UserFactory(username="member2", first_name="Xiaohong", last_name="Chen")
    team = make_team(setup, name="Silk Road Sellers", members=[member])
    submit(setup, team=team)
    assignment = assign(setup, team=team, judge=setup.judges[0])
    client.force_login(setup.judges[0])
    for url in (
        reverse("judging:queue"),
        reverse("judging:score", args=[assignment.pk]),
        reverse("judging:recuse", args=[assignment.pk]),
    ):
        body = client.get(url).content.decode()
        assert "Silk Road Sellers" not in body, url
        assert "Xiaohong" not in body and "Chen" not in body, url
        assert "Entry #" in body, url


def form_data(assignment, rows):
    """POST data for the scoring form: rows = {criterion: (points, comment, based_on score or None)}."""
    data = {}
    for criterion, (points, comment, based_on) in rows.items():
        prefix = f"criterion-{criterion.pk}"
        data[f"{prefix}-points"] = points
        data[f"{prefix}-comment"] = comment
        data[f"{prefix}-based_on"] = based_on.pk if based_on else ""
    return data


def test_judge_saves_every_criterion_in_one_post(client, entry):
    setup, _team, _member, assignment = entry
    quality, pricing = setup.criteria()
    client.force_login(setup.judges[0])
    url = reverse("judging:score", args=[assignment.pk])
    response = client.post(
        url, form_data(assignment, {quality: ("8", "Clear title", None), pricing: ("15.5", "", None)})
    )
    assert response.status_code == 302 and response["Location"] == url
    assert sorted(Score.objects.values_list("criterion__title", "points", "comment", "scored_by")) == [
        ("Pricing", D("15.5"), "", setup.judges[0].pk),
        ("Quality", D("8"), "Clear title", setup.judges[0].pk),
    ]


def test_a_conflict_on_one_criterion_keeps_the_judges_input_and_saves_the_rest(client, entry):
    # the page showed Quality = 6; meanwhile (another tab) it became 9; the judge now submits Quality 4, Pricing 15
    setup, _team, _member, assignment = entry
    quality, pricing = setup.criteria()
    judge = setup.judges[0]
    shown = record_score(assignment=assignment, criterion=quality, points=D(6), comment="", judge=judge, based_on=None)
    record_score(assignment=assignment, criterion=quality, points=D(9), comment="", judge=judge, based_on=shown)
    client.force_login(judge)
    response = client.post(
        reverse("judging:score", args=[assignment.pk]),
        form_data(assignment, {quality: ("4", "Too short", shown), pricing: ("15", "", None)}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "it is now 9.00" in body
    assert 'value="4"' in body and "Too short" in body  # the judge's input is still there
    current = Score.objects.filter(superseded_by__isnull=True)
    assert sorted(current.values_list("criterion__title", "points")) == [("Pricing", D("15")), ("Quality", D("9"))]


def test_scores_cannot_be_posted_while_the_round_is_finalised(client, entry):
    setup, _team, _member, assignment = entry
    quality, pricing = setup.criteria()
    finalise(setup)
    client.force_login(setup.judges[0])
    response = client.post(
        reverse("judging:score", args=[assignment.pk]),
        form_data(assignment, {quality: ("8", "", None), pricing: ("15", "", None)}),
    )
    assert response.status_code == 200
    assert "scores are locked" in response.content.decode()
    assert not Score.objects.exists()


def test_recusal_needs_a_reason_and_then_hands_the_entry_over(client, entry):
    setup, team, _member, assignment = entry
    client.force_login(setup.judges[0])
    url = reverse("judging:recuse", args=[assignment.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert JudgeAssignment.objects.get(pk=assignment.pk).recused_at is None
    response = client.post(url, {"reason": "I taught the captain's class last term."})
    assert response.status_code == 302 and response["Location"] == reverse("judging:queue")
    assert JudgeAssignment.objects.get(pk=assignment.pk).recusal_reason == "I taught the captain's class last term."
    assert JudgeAssignment.objects.get(team=team, recused_at__isnull=True).judge == setup.judges[1]
    assert client.get(reverse("judging:score", args=[assignment.pk])).status_code == 404


def queue_queries(client, judge) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("judging:queue"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("blind", [False, True])
def test_queue_queries_do_not_grow_with_the_number_of_teams(client, blind):
    counts = []
    for size in (5, 50):
        setup = build_round(blind=blind)
        judge = add_judge(setup)
        quality, _pricing = setup.criteria()
        for _ in range(size):
            assignment = assign(setup, team=make_team(setup), judge=judge)
            Score.objects.create(assignment=assignment, criterion=quality, points=D(5), scored_by=judge)
        client.force_login(judge)
        queue_queries(client, judge)  # warm the site and settings caches
        counts.append(queue_queries(client, judge))
        body = client.get(reverse("judging:queue")).content.decode()
        assert body.count("<progress") == size
    assert counts[0] == counts[1]


def test_the_file_link_points_to_the_participation_download(client, entry):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import NoReverseMatch

    setup, team, _member, assignment = entry
    submission = submit(setup, team=team, version=2)
    submission.file = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    submission.original_filename = "plan.pdf"
    submission.save()
    client.force_login(setup.judges[0])
    body = client.get(reverse("judging:score", args=[assignment.pk])).content.decode()
    try:
        download = reverse("participation:submission_file", args=[submission.pk])
    except NoReverseMatch:  # the participation app's download view is not there yet: no link rather than an error
        assert "Download plan.pdf" not in body
    else:
        assert f'href="{download}"' in body and "Download plan.pdf" in body
