"""Sharing a transcript: grants to employer accounts and secret links (shown once, stored hashed, expiring,
revocable at once), and what each opening leaves in the access log. Every form answers with a redirect to its
panel, whose top shows the confirmation."""

import hashlib
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from portfolios.models import AccessKind, TranscriptAccess, TranscriptGrant, TranscriptLink
from portfolios.transcripts import services
from portfolios.transcripts.views import NEW_LINK_SESSION_KEY
from tests.transcripts.conftest import client_for, fake_pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

SHARED_PATH = re.compile(r"http://testserver/transcripts/s/([A-Za-z0-9_-]+)/")


def detail_url(transcript) -> str:
    return reverse("transcripts:detail", args=[transcript.pk])


def in_a_week():
    return timezone.now() + timedelta(days=7)


def make_link(transcript, student, label="Silk Road HR"):
    return services.create_link(transcript=transcript, student=student, expires_at=in_a_week(), label=label)


def post_link(client, transcript, **data):
    data.setdefault("label", "Silk Road HR")
    data.setdefault("expires_at", (timezone.localdate() + timedelta(days=14)).isoformat())
    return client.post(reverse("transcripts:create_link", args=[transcript.pk]), data)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def panel_messages(soup, panel: str) -> list[str]:
    return [text(item) for item in soup.select(f"#{panel} .transcript__panel-messages .message")]


def page_messages(soup) -> list[str]:
    return [text(item) for item in soup.select("main > .messages .message")]


# --- Grants --------------------------------------------------------------------------------------------------


def test_a_student_grants_an_employer_by_user_name(transcript, school):
    response = client_for(school.student).post(
        reverse("transcripts:grant", args=[transcript.pk]), {"employer": "employer"}
    )
    assert response.status_code == 302
    assert client_for(school.employer).get(detail_url(transcript)).status_code == 200


def test_sharing_confirms_at_the_top_of_the_sharing_panel_where_the_redirect_lands(transcript, school):
    student = client_for(school.student)
    response = student.post(reverse("transcripts:grant", args=[transcript.pk]), {"employer": "employer"})
    assert response["Location"] == detail_url(transcript) + "#sharing"
    soup = soup_of(student.get(detail_url(transcript)))
    assert panel_messages(soup, "sharing") == ["刘洋 can now open this transcript."]
    assert page_messages(soup) == []  # not also at the top of the page, off-screen


def test_stopping_a_grant_and_revoking_a_link_confirm_in_the_sharing_panel(transcript, school):
    grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    link, _token = make_link(transcript, school.student)
    student = client_for(school.student)
    assert student.post(reverse("transcripts:revoke_grant", args=[grant.pk]))["Location"].endswith("#sharing")
    assert student.post(reverse("transcripts:revoke_link", args=[link.pk]))["Location"].endswith("#sharing")
    soup = soup_of(student.get(detail_url(transcript)))
    assert panel_messages(soup, "sharing") == [
        "刘洋 can no longer open this transcript.",
        "The link “Silk Road HR” no longer works.",
    ]
    assert page_messages(soup) == []


def test_the_sharing_forms_come_back_to_their_panel(transcript, school):
    soup = soup_of(client_for(school.student).get(detail_url(transcript)))
    actions = [form["action"] for form in soup.select("#sharing form[method=post]")]
    assert reverse("transcripts:grant", args=[transcript.pk]) + "#sharing" in actions
    assert reverse("transcripts:create_link", args=[transcript.pk]) + "#sharing" in actions


def test_the_employer_field_is_labelled_as_the_rest_of_the_panel(transcript, school):
    soup = soup_of(client_for(school.student).get(detail_url(transcript)))
    label = text(soup.select_one("#sharing label[for=id_employer]"))
    assert "'" not in label  # a typographic apostrophe, as in “With an employer’s account”
    assert label == "Employer’s username or e-mail:"


def test_a_student_grants_an_employer_by_e_mail(transcript, school):
    client_for(school.student).post(
        reverse("transcripts:grant", args=[transcript.pk]), {"employer": "EMPLOYER@example.edu"}
    )
    assert TranscriptGrant.objects.get().employer == school.employer


def test_a_grant_to_someone_who_is_not_an_employer_is_refused_on_the_form(transcript, school):
    response = client_for(school.student).post(
        reverse("transcripts:grant", args=[transcript.pk]), {"employer": school.other_student.username}
    )
    assert response.status_code == 200
    assert "is not registered as an employer" in response.content.decode()
    assert not TranscriptGrant.objects.exists()


def test_stopping_a_grant_ends_the_employers_access_at_once(transcript, school):
    grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    client_for(school.student).post(reverse("transcripts:revoke_grant", args=[grant.pk]))
    assert client_for(school.employer).get(detail_url(transcript)).status_code == 404


def test_revoking_the_transcript_ends_every_employers_access_at_once(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Error")
    assert client_for(school.employer).get(detail_url(transcript)).status_code == 404


def test_another_student_cannot_stop_a_grant(transcript, school):
    grant = services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    response = client_for(school.other_student).post(reverse("transcripts:revoke_grant", args=[grant.pk]))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


# --- Links: created, shown once, stored hashed -----------------------------------------------------------------


def test_creating_a_link_redirects_to_the_transcript_page_at_the_new_link(transcript, school):
    response = post_link(client_for(school.student), transcript)
    assert response.status_code == 302
    assert response["Location"] == detail_url(transcript) + "#new-link"
    assert TranscriptLink.objects.count() == 1
    assert not SHARED_PATH.search(response.content.decode())


def test_the_new_link_is_shown_in_full_at_the_top_of_the_sharing_panel(transcript, school):
    student = client_for(school.student)
    post_link(student, transcript)
    response = student.get(detail_url(transcript))
    assert response["Cache-Control"] == "private, no-store"
    soup = soup_of(response)
    box = soup.select_one("#sharing #new-link")
    assert box is soup.select_one("#sharing > h2").find_next_sibling(["div", "ul"])  # first after the heading
    token = SHARED_PATH.search(box.select_one("input")["value"]).group(1)
    assert TranscriptLink.objects.get().token_sha256 == hashlib.sha256(token.encode()).hexdigest()


def test_a_link_is_never_shown_again(transcript, school):
    student = client_for(school.student)
    post_link(student, transcript)
    token = SHARED_PATH.search(student.get(detail_url(transcript)).content.decode()).group(1)
    second = student.get(detail_url(transcript))
    assert token not in second.content.decode()
    assert BeautifulSoup(second.content, "html.parser").select_one("#new-link") is None


def test_reloading_the_page_after_creating_a_link_creates_no_other(transcript, school):
    student = client_for(school.student)
    landing = post_link(student, transcript)["Location"]
    student.get(landing)
    student.get(landing)  # what the browser's reload does after a redirect: GET the address again
    assert TranscriptLink.objects.count() == 1


def test_the_token_waits_only_in_the_session_and_leaves_it_when_shown(transcript, school):
    student = client_for(school.student)
    response = post_link(student, transcript)
    token = student.session[NEW_LINK_SESSION_KEY]["token"]
    assert all(token not in morsel.value for morsel in response.cookies.values())  # not in a message cookie
    assert token not in response.content.decode() and token not in response["Location"]
    student.get(detail_url(transcript))
    assert NEW_LINK_SESSION_KEY not in student.session


def test_a_new_link_shows_on_its_own_transcript_only(transcript, school, issue):
    newer = issue()
    student = client_for(school.student)
    post_link(student, transcript)
    assert soup_of(student.get(detail_url(newer))).select_one("#new-link") is None
    assert NEW_LINK_SESSION_KEY not in student.session  # taken out all the same: shown nowhere, kept nowhere


def test_a_link_token_carries_at_least_128_bits(transcript, school):
    _link, token = make_link(transcript, school.student)
    # URL-safe base64 carries 6 bits a character: 128 bits need ⌈128 / 6⌉ = 22 characters.
    assert len(token) >= 22
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_a_link_is_stored_only_as_the_hash_of_its_token(transcript, school):
    link, token = make_link(transcript, school.student)
    stored = TranscriptLink.objects.filter(pk=link.pk).values().get()
    assert stored["token_sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in stored.values())


def test_a_link_expiring_in_the_past_is_refused_on_the_form(transcript, school):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = post_link(client_for(school.student), transcript, expires_at=yesterday)
    assert "Choose an expiry date in the future." in response.content.decode()
    assert not TranscriptLink.objects.exists()


def test_a_link_lasting_more_than_a_year_is_refused_on_the_form(transcript, school):
    too_late = (timezone.localdate() + timedelta(days=400)).isoformat()
    response = post_link(client_for(school.student), transcript, expires_at=too_late)
    assert "A link can last at most a year." in response.content.decode()
    assert not TranscriptLink.objects.exists()


# --- Links: opened, logged, ended ----------------------------------------------------------------------------


def test_a_link_holder_opens_the_transcript_without_an_account(transcript, school):
    _link, token = make_link(transcript, school.student)
    response = client_for(None).get(reverse("transcripts:shared", args=[token]))
    assert response.status_code == 200
    assert "陈小红" in response.content.decode()


def test_the_link_page_is_read_only_and_keeps_its_address_out_of_referrers(transcript, school):
    _link, token = make_link(transcript, school.student)
    response = client_for(None).get(reverse("transcripts:shared", args=[token]))
    soup = BeautifulSoup(response.content, "html.parser")
    assert [form["action"] for form in soup.select("main form")] == []
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_link_holder_downloads_the_pdf(transcript, school):
    _link, token = make_link(transcript, school.student)
    response = client_for(None).get(reverse("transcripts:shared_pdf", args=[token]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == fake_pdf_bytes(transcript.verification_code)


def test_link_openings_are_logged_with_the_link(transcript, school):
    link, token = make_link(transcript, school.student)
    holder = client_for(None)
    holder.get(reverse("transcripts:shared", args=[token]))
    holder.get(reverse("transcripts:shared_pdf", args=[token]))
    logged = list(TranscriptAccess.objects.order_by("pk").values_list("user", "link", "kind"))
    assert logged == [(None, link.pk, AccessKind.VIEW), (None, link.pk, AccessKind.DOWNLOAD)]


def test_the_student_reads_link_openings_by_the_links_label(transcript, school):
    _link, token = make_link(transcript, school.student, label="Silk Road HR")
    client_for(None).get(reverse("transcripts:shared", args=[token]))
    soup = BeautifulSoup(client_for(school.student).get(detail_url(transcript)).content, "html.parser")
    rows = [" ".join(row.th.get_text(" ").split()) for row in soup.select(".access-log__row")]
    assert rows == ["through the link “Silk Road HR”"]


def test_a_revoked_link_is_not_found_at_once(transcript, school):
    link, token = make_link(transcript, school.student)
    client_for(school.student).post(reverse("transcripts:revoke_link", args=[link.pk]))
    assert client_for(None).get(reverse("transcripts:shared", args=[token])).status_code == 404
    assert client_for(None).get(reverse("transcripts:shared_pdf", args=[token])).status_code == 404


def test_an_expired_link_is_not_found_at_once(transcript, school):
    link, token = make_link(transcript, school.student)
    TranscriptLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(None).get(reverse("transcripts:shared", args=[token])).status_code == 404


def test_a_link_to_a_revoked_transcript_is_not_found_at_once(transcript, school):
    _link, token = make_link(transcript, school.student)
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Error")
    assert client_for(None).get(reverse("transcripts:shared", args=[token])).status_code == 404


def test_a_made_up_token_is_not_found(transcript):
    assert client_for(None).get(reverse("transcripts:shared", args=["A" * 32])).status_code == 404


def test_another_student_cannot_revoke_a_link(transcript, school):
    link, _token = make_link(transcript, school.student)
    response = client_for(school.other_student).post(reverse("transcripts:revoke_link", args=[link.pk]))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
