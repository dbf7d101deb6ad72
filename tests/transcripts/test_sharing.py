"""Sharing a transcript: grants to employer accounts and secret links (shown once, stored hashed, expiring,
revocable at once), and what each opening leaves in the access log."""

import hashlib
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from portfolios.models import AccessKind, TranscriptAccess, TranscriptGrant, TranscriptLink
from portfolios.transcripts import services
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


# --- Grants --------------------------------------------------------------------------------------------------


def test_a_student_grants_an_employer_by_user_name(transcript, school):
    response = client_for(school.student).post(
        reverse("transcripts:grant", args=[transcript.pk]), {"employer": "employer"}
    )
    assert response.status_code == 302
    assert client_for(school.employer).get(detail_url(transcript)).status_code == 200


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


def test_a_new_link_is_shown_in_full_in_the_answer_to_its_creation(transcript, school):
    response = post_link(client_for(school.student), transcript)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    token = SHARED_PATH.search(response.content.decode()).group(1)
    assert TranscriptLink.objects.get().token_sha256 == hashlib.sha256(token.encode()).hexdigest()


def test_a_link_is_never_shown_again(transcript, school):
    student = client_for(school.student)
    token = SHARED_PATH.search(post_link(student, transcript).content.decode()).group(1)
    assert token not in student.get(detail_url(transcript)).content.decode()


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
