"""The students' portfolio front end under /portfolio/: adding and editing artefacts, the review workflow buttons,
ordering, visibility, withdrawing, the introduction and sharing with employers — all through the test client."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail import hooks

from courses.hooks import STUDENT_WORKS, StudentWork
from portfolios.models import (
    Artefact,
    ArtefactKind,
    ArtefactStatus,
    PortfolioPage,
    PortfolioShare,
    ReviewVerdict,
    Visibility,
)
from portfolios.permissions import artefacts_user_may_review
from portfolios.services import portfolio_for, sign_off

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ENTRY_KEY = "competitions.entry:7:3"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def own_entry(student):
    """A stand-in for the competitions hook: the student's one competition entry."""
    return [
        StudentWork(
            key=ENTRY_KEY,
            title="Silk Road Cup · Product listing · Team Camel",
            url="/compete/submissions/3/",
            done_on=date(2026, 4, 20),
        )
    ]


@pytest.fixture
def entries():
    with hooks.register_temporarily(STUDENT_WORKS, own_entry):
        yield


@pytest.fixture
def as_student(school) -> Client:
    client = Client()
    client.force_login(school.student)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(school, kind: str, **changes) -> dict:
    """A valid form for ``kind``; ``changes`` replace or (with None) remove fields."""
    data = {
        "title": "Amazon listing for a tea shop",
        "done_on": "2026-05-01",
        "body": "<p>I wrote the <b>listing</b>.</p><script>alert(1)</script>",
        "competencies": [school.trade.pk],
        "outcomes": [school.lo1.pk],
        "visibility": Visibility.REVIEWERS,
    }
    data.update(
        {
            ArtefactKind.COMPETITION_ENTRY: {"linked_work_key": ENTRY_KEY},
            ArtefactKind.COURSE_WORK: {"course": school.course.pk},
            ArtefactKind.INTERNSHIP: {"enterprise": "Silk Road CBEC Ltd", "mentor": school.mentor.pk},
            ArtefactKind.CERTIFICATE: {"issuer": "1+X Cross-border E-commerce", "certificate_number": "X-2026-7"},
            ArtefactKind.PRACTICE: {"platform": "TikTok Shop", "hours": "12.5"},
            ArtefactKind.REFLECTION: {},
        }[kind]
    )
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def create_url(kind: str) -> str:
    return reverse("portfolios:create_artefact", args=[kind])


# --- /portfolio/ -----------------------------------------------------------------------------------------------


def test_my_portfolio_creates_the_page_and_redirects_to_it(school, as_student):
    response = as_student.get(reverse("portfolios:mine"))
    page = PortfolioPage.objects.get(student=school.student)
    assert response.status_code == 302
    assert response.url == page.url


def test_my_portfolio_explains_when_portfolios_are_not_set_up(school, as_student):
    school.portfolio_index.delete()
    response = as_student.get(reverse("portfolios:mine"))
    assert response.status_code == 200
    assert "an administrator needs to add a portfolio index page" in " ".join(messages_of(response))


def test_owner_page_offers_every_kind_and_every_visibility(school, as_student, make_artefact):
    make_artefact(title="Reflection on the Canton Fair")
    body = as_student.get(portfolio_for(student=school.student).url).content.decode()
    for kind in ArtefactKind.values:
        assert f'href="{create_url(kind)}"' in body
    for visibility in Visibility.values:
        assert f'<option value="{visibility}"' in body


# --- Adding and editing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ArtefactKind.values)
def test_student_adds_each_kind_of_artefact(school, as_student, entries, kind):
    data = form_data(school, kind)
    if kind == ArtefactKind.CERTIFICATE:
        data["file"] = SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png")
    response = as_student.post(create_url(kind), data)
    artefact = Artefact.objects.get()
    assert response.status_code == 302
    assert response.url == f"{artefact.portfolio.url}#artefact-{artefact.pk}"
    version = artefact.current_version
    assert (artefact.kind, artefact.visibility, artefact.status) == (kind, Visibility.REVIEWERS, ArtefactStatus.DRAFT)
    assert (version.number, version.title, version.done_on) == (1, "Amazon listing for a tea shop", date(2026, 5, 1))
    assert "<script>" not in version.body
    assert list(version.claimed_competencies.all()) == [school.trade]
    assert list(version.claimed_outcomes.all()) == [school.lo1]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (ArtefactKind.COMPETITION_ENTRY, "linked_work_title", "Silk Road Cup · Product listing · Team Camel"),
        (ArtefactKind.COURSE_WORK, "course_id", "course"),
        (ArtefactKind.INTERNSHIP, "mentor_id", "mentor"),
        (ArtefactKind.CERTIFICATE, "certificate_number", "X-2026-7"),
        (ArtefactKind.PRACTICE, "hours", 12.5),
    ],
)
def test_each_kind_keeps_its_own_fields(school, as_student, entries, kind, field, value):
    as_student.post(create_url(kind), form_data(school, kind))
    expected = {"course": school.course.pk, "mentor": school.mentor.pk}.get(value, value)
    assert getattr(Artefact.objects.get().current_version, field) == expected


def test_form_shows_only_the_fields_its_kind_uses(school, as_student):
    form = as_student.get(create_url(ArtefactKind.INTERNSHIP)).context["form"]
    assert {"enterprise", "mentor", "title", "done_on", "body", "file", "competencies"} <= set(form.fields)
    assert not {"course", "platform", "hours", "issuer", "certificate_number", "linked_work_key"} & set(form.fields)


def test_unknown_kind_is_not_found(school, as_student):
    assert as_student.get(create_url("diary")).status_code == 404


def test_certificate_scan_is_shown_inline_on_the_page(school, as_student):
    data = form_data(school, ArtefactKind.CERTIFICATE, visibility=Visibility.PUBLIC)
    data["file"] = SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png")
    as_student.post(create_url(ArtefactKind.CERTIFICATE), data)
    version = Artefact.objects.get().current_version
    file_url = reverse("portfolios:version_file", args=[version.pk])
    assert f'<img src="{file_url}"' in as_student.get(version.artefact.portfolio.url).content.decode()
    response = as_student.get(file_url)
    assert response["Content-Disposition"].startswith("inline")


def test_document_is_offered_as_a_download(school, as_student):
    data = form_data(school, ArtefactKind.REFLECTION)
    data["file"] = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    as_student.post(create_url(ArtefactKind.REFLECTION), data)
    version = Artefact.objects.get().current_version
    response = as_student.get(reverse("portfolios:version_file", args=[version.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_upload_that_is_not_what_it_claims_is_refused(school, as_student):
    data = form_data(school, ArtefactKind.REFLECTION)
    data["file"] = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_student.post(create_url(ArtefactKind.REFLECTION), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Artefact.objects.exists()


def test_body_is_shown_sanitised_on_the_page(school, as_student):
    as_student.post(create_url(ArtefactKind.REFLECTION), form_data(school, ArtefactKind.REFLECTION))
    body = as_student.get(portfolio_for(student=school.student).url).content.decode()
    assert "I wrote the <b>listing</b>." in body
    assert "alert(1)" not in body


def test_edit_form_is_filled_in_from_the_current_version(school, as_student, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.PRACTICE, title="Live stream practice", hours=8)
    form = as_student.get(reverse("portfolios:edit_artefact", args=[artefact.pk])).context["form"]
    assert form.initial["title"] == "Live stream practice"
    assert form.initial["platform"] == "TikTok Shop"
    assert form.initial["competencies"] == [school.trade.pk]


def test_editing_saves_version_2_and_keeps_version_1(school, as_student, make_artefact):
    artefact = make_artefact(title="First draft")
    data = form_data(school, ArtefactKind.REFLECTION, title="Second draft")
    response = as_student.post(reverse("portfolios:edit_artefact", args=[artefact.pk]), data)
    artefact.refresh_from_db()
    assert response.status_code == 302
    assert artefact.current_version.number == 2
    assert artefact.current_version.title == "Second draft"
    assert list(artefact.versions.order_by("number").values_list("title", flat=True)) == ["First draft", "Second draft"]


def test_editing_without_a_new_file_keeps_the_old_one(school, as_student, make_artefact):
    artefact = make_artefact(file=SimpleUploadedFile("report.pdf", PDF))
    as_student.post(reverse("portfolios:edit_artefact", args=[artefact.pk]), form_data(school, ArtefactKind.REFLECTION))
    artefact.refresh_from_db()
    assert artefact.current_version.number == 2
    assert artefact.current_version.original_filename == "report.pdf"


def test_artefact_in_review_cannot_be_edited(school, as_student, make_artefact, send_for_review):
    artefact = make_artefact()
    send_for_review(artefact)
    response = as_student.get(reverse("portfolios:edit_artefact", args=[artefact.pk]))
    assert response.status_code == 302
    assert messages_of(response) == ["This artefact is with a reviewer. Cancel the review request to change it."]


def test_responding_to_a_review_sends_the_new_version_back(school, as_student, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    send_for_review(artefact)
    sign_off(
        artefact=artefact,
        reviewer=school.course_teacher,
        verdict=ReviewVerdict.PARTIALLY_MEETS,
        level=levels[2],
        comment="Add the shipping costs.",
    )
    page = as_student.get(artefact.portfolio.url).content.decode()
    assert "Respond with a new version" in page
    assert "Add the shipping costs." in page
    data = form_data(school, ArtefactKind.COURSE_WORK, title="With shipping costs")
    as_student.post(reverse("portfolios:edit_artefact", args=[artefact.pk]), data)
    artefact.refresh_from_db()
    assert (artefact.status, artefact.current_version.number) == (ArtefactStatus.IN_REVIEW, 2)


def test_artefact_history_lists_every_version_newest_first(school, as_student, make_artefact):
    artefact = make_artefact(title="Draft one")
    as_student.post(
        reverse("portfolios:edit_artefact", args=[artefact.pk]),
        form_data(school, ArtefactKind.REFLECTION, title="Draft two"),
    )
    response = as_student.get(reverse("portfolios:artefact_detail", args=[artefact.pk]))
    assert [version.title for version in response.context["history"]] == ["Draft two", "Draft one"]


# --- Bad input -------------------------------------------------------------------------------------------------


def _future() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        pytest.param(ArtefactKind.REFLECTION, {"title": ""}, "title", id="missing-title"),
        pytest.param(ArtefactKind.REFLECTION, {"title": "   "}, "title", id="blank-title"),
        pytest.param(ArtefactKind.REFLECTION, {"done_on": "FUTURE"}, "done_on", id="future-date"),
        pytest.param(ArtefactKind.INTERNSHIP, {"mentor": None}, "mentor", id="internship-without-mentor"),
        pytest.param(ArtefactKind.INTERNSHIP, {"mentor": "COURSE_TEACHER"}, "mentor", id="teacher-as-mentor"),
        pytest.param(
            ArtefactKind.COMPETITION_ENTRY,
            {"linked_work_key": "competitions.entry:99:1"},
            "linked_work_key",
            id="someone-elses-entry",
        ),
        pytest.param(ArtefactKind.PRACTICE, {"hours": "-3"}, "hours", id="negative-hours"),
        pytest.param(ArtefactKind.COURSE_WORK, {"course": None}, "course", id="course-work-without-course"),
    ],
)
def test_bad_input_is_shown_on_its_field(school, as_student, entries, kind, changes, field):
    replacements = {"FUTURE": _future(), "COURSE_TEACHER": school.course_teacher.pk}
    changes = {name: replacements.get(value, value) for name, value in changes.items()}
    response = as_student.post(create_url(kind), form_data(school, kind, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Artefact.objects.exists()


def test_claims_outside_the_framework_are_refused(school, as_student):
    from tests.factories import CompetencyFactory, FrameworkFactory

    foreign = CompetencyFactory(framework=FrameworkFactory(name="Other"), code="X1", name="Elsewhere")
    data = form_data(school, ArtefactKind.REFLECTION, competencies=[foreign.pk])
    response = as_student.post(create_url(ArtefactKind.REFLECTION), data)
    assert "competencies" in response.context["form"].errors


# --- Review workflow, order, visibility, withdrawing ------------------------------------------------------------


def test_request_review_sends_the_artefact_to_the_course_teachers(school, as_student, make_artefact):
    artefact = make_artefact(kind=ArtefactKind.COURSE_WORK)
    artefact.visibility = Visibility.REVIEWERS
    artefact.save()
    response = as_student.post(reverse("portfolios:request_review", args=[artefact.pk]))
    artefact.refresh_from_db()
    assert response.url == f"{artefact.portfolio.url}#artefact-{artefact.pk}"
    assert artefact.status == ArtefactStatus.IN_REVIEW
    assert artefacts_user_may_review(school.course_teacher).filter(pk=artefact.pk).exists()


def test_request_review_of_a_private_artefact_explains_why_not(school, as_student, make_artefact):
    artefact = make_artefact()
    response = as_student.post(reverse("portfolios:request_review", args=[artefact.pk]))
    artefact.refresh_from_db()
    assert artefact.status == ArtefactStatus.DRAFT
    assert any("Private artefacts are seen by nobody else" in text for text in messages_of(response))


def test_cancel_review_takes_the_artefact_back(school, as_student, make_artefact, send_for_review):
    artefact = make_artefact()
    send_for_review(artefact)
    as_student.post(reverse("portfolios:cancel_review", args=[artefact.pk]))
    artefact.refresh_from_db()
    assert artefact.status == ArtefactStatus.DRAFT


def test_move_up_puts_the_artefact_before_its_neighbour(school, as_student, make_artefact):
    first = make_artefact(title="First")
    second = make_artefact(title="Second")
    as_student.post(reverse("portfolios:move_up", args=[second.pk]))
    order = Artefact.objects.order_by("sort_order").values_list("pk", flat=True)
    assert list(order) == [second.pk, first.pk]


def test_move_down_puts_the_artefact_after_its_neighbour(school, as_student, make_artefact):
    first = make_artefact(title="First")
    second = make_artefact(title="Second")
    as_student.post(reverse("portfolios:move_down", args=[first.pk]))
    order = Artefact.objects.order_by("sort_order").values_list("pk", flat=True)
    assert list(order) == [second.pk, first.pk]


def test_set_visibility_changes_who_sees_the_artefact(school, as_student, make_artefact):
    artefact = make_artefact()
    as_student.post(reverse("portfolios:set_visibility", args=[artefact.pk]), {"visibility": Visibility.PUBLIC})
    artefact.refresh_from_db()
    assert artefact.visibility == Visibility.PUBLIC


def test_set_visibility_refuses_an_unknown_level(school, as_student, make_artefact):
    artefact = make_artefact()
    response = as_student.post(reverse("portfolios:set_visibility", args=[artefact.pk]), {"visibility": "world"})
    artefact.refresh_from_db()
    assert artefact.visibility == Visibility.PRIVATE
    assert "Choose who may see this artefact." in messages_of(response)


def test_withdrawn_artefact_moves_to_the_collapsed_section(school, as_student, make_artefact):
    artefact = make_artefact(title="Old reflection")
    as_student.post(reverse("portfolios:withdraw", args=[artefact.pk]))
    artefact.refresh_from_db()
    response = as_student.get(artefact.portfolio.url)
    assert artefact.withdrawn_at is not None
    assert response.context["artefacts"] == []
    assert "1 withdrawn artefact" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["request_review", "cancel_review", "withdraw", "move_up", "move_down", "set_visibility"]
)
def test_actions_refuse_get(school, as_student, make_artefact, name):
    artefact = make_artefact()
    assert as_student.get(reverse(f"portfolios:{name}", args=[artefact.pk])).status_code == 405


# --- Introduction and sharing ----------------------------------------------------------------------------------


def test_student_edits_the_introduction_and_who_sees_the_overview(school, as_student):
    response = as_student.post(
        reverse("portfolios:introduction"),
        {"introduction": "<p>I sell <em>tea</em> abroad.</p><script>x()</script>", "overview_visibility": "public"},
    )
    page = PortfolioPage.objects.get(student=school.student)
    assert response.url == page.url
    assert page.introduction == "<p>I sell <em>tea</em> abroad.</p>"
    assert page.overview_visibility == Visibility.PUBLIC


def test_student_shares_with_an_employer_by_email(school, as_student):
    response = as_student.post(reverse("portfolios:sharing"), {"employer": "EMPLOYER@example.edu"})
    assert response.url == reverse("portfolios:sharing")
    share = PortfolioShare.objects.get()
    assert (share.employer, share.revoked_at) == (school.employer, None)


def test_student_revokes_a_share(school, as_student):
    as_student.post(reverse("portfolios:sharing"), {"employer": "employer"})
    share = PortfolioShare.objects.get()
    as_student.post(reverse("portfolios:revoke_share", args=[share.pk]))
    share.refresh_from_db()
    assert share.revoked_at is not None


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("nobody@example.edu", "Nobody on this site has that username or e-mail."),
        ("mentor", "mentor is not registered as an employer."),
    ],
)
def test_sharing_with_someone_who_is_not_an_employer_is_refused(school, as_student, wanted, message):
    response = as_student.post(reverse("portfolios:sharing"), {"employer": wanted})
    assert response.status_code == 200
    assert response.context["form"].errors["employer"] == [message]
    assert not PortfolioShare.objects.exists()


# --- The index of portfolios -----------------------------------------------------------------------------------


def test_index_lists_only_portfolios_with_public_artefacts(school, make_artefact):
    public = make_artefact(title="Public work")
    public.visibility = Visibility.PUBLIC
    public.save()
    make_artefact(student=school.other_student, title="Kept to myself")
    response = Client().get(school.portfolio_index.url)
    assert [portfolio.student for portfolio in response.context["portfolios"]] == [school.student]
    assert f'href="{public.portfolio.url}"' in response.content.decode()
