"""The transcript page, its PDF and credential downloads, employer feedback, the public competency and issuer
pages, and the employer's "Shared with me" list.

Figures (see conftest): COMM 1 / 4 (Beginning, demand 40), TRADE 3 / 4 (Proficient, mastered, demand 80);
three evidence rows; the snapshot lists COMM before TRADE.
"""

import json
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services import record_evidence
from portfolios.models import AccessKind, TranscriptAccess, TranscriptFeedback
from portfolios.transcripts import services, signing
from tests.transcripts.conftest import client_for, fake_pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


def detail_url(transcript) -> str:
    return reverse("transcripts:detail", args=[transcript.pk])


def page(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def competency_rows(soup) -> dict[str, tuple[str, str, str]]:
    return {
        row.select_one(".chip").get_text(strip=True): (
            text(row.select_one(".competency-table__figure")),
            text(row.select_one(".competency-table__level")),
            text(row.select_one(".competency-table__demand")),
        )
        for row in soup.select("tr.competency-table__row")
    }


# --- The page ------------------------------------------------------------------------------------------------


def test_the_page_shows_each_competency_against_the_scale_with_its_level_and_demand(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    assert competency_rows(soup) == {
        "COMM": ("1 / 4", "Beginning", "40 / 100"),
        "TRADE": ("3 / 4", "Proficient", "80 / 100"),
    }


def test_the_page_marks_only_mastered_competencies(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    mastered = [row.select_one(".chip").get_text() for row in soup.select("tr.competency-table__row.is-mastered")]
    assert mastered == ["TRADE"]


def test_the_radar_plots_the_snapshot_figures(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    assert soup.select_one("svg.radar")["data-values"] == "1,3"  # COMM 1, TRADE 3


def test_the_evidence_table_lists_every_row_newest_first(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    rows = [
        [text(cell) for cell in row.select("td")[:1] + row.select("td")[3:]]
        for row in soup.select(".transcript-evidence tbody tr")
    ]
    assert rows == [
        ["2026-04-01", "4", "TRADE"],
        ["2026-03-15", "1", "COMM"],
        ["2026-03-01", "2", "TRADE"],
    ]


def test_the_page_gives_the_verification_code_and_address(transcript, school):
    html = client_for(school.student).get(detail_url(transcript)).content.decode()
    assert transcript.verification_code in html
    assert f"http://testserver/transcripts/verify/{transcript.verification_code}/" in html


def test_the_page_costs_the_same_queries_for_5_and_50_evidence_rows(school, issue, django_assert_num_queries):
    for student, rows in ((school.student, 5), (school.other_student, 50)):
        for day in range(rows):
            record_evidence(
                student=student,
                score=Decimal("3"),
                done_on=date(2026, 1, 1 + day % 28),
                source_kind="course_assessment",
                source_title=f"Drill {day}",
                recorded_by=school.course_teacher,
                competency=school.comm,
            )
    few, many = issue(school.student), issue(school.other_student)
    few_client, many_client = client_for(school.student), client_for(school.other_student)
    few_client.get(detail_url(few))  # warm per-process caches (site root paths, content types)
    many_client.get(detail_url(many))
    with CaptureQueriesContext(connection) as counted:
        response = few_client.get(detail_url(few))
    assert (
        len(BeautifulSoup(response.content, "html.parser").select(".transcript-evidence tbody tr")) == 5 + 3
    )  # + the conftest's 3
    with django_assert_num_queries(len(counted)):
        response = many_client.get(detail_url(many))
    assert (
        len(BeautifulSoup(response.content, "html.parser").select(".transcript-evidence tbody tr")) == 50 + 1
    )  # + the conftest's 1


def test_a_revoked_transcript_says_so_with_the_reason_to_its_student(transcript, school):
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Wrong programme")
    html = client_for(school.student).get(detail_url(transcript)).content.decode()
    assert "This transcript was revoked on" in html
    assert "Wrong programme" in html


# --- Downloads -----------------------------------------------------------------------------------------------


def test_the_pdf_downloads_from_storage_as_an_attachment_named_for_the_student(transcript, school):
    response = client_for(school.student).get(reverse("transcripts:pdf", args=[transcript.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="transcript-2024000001-v1.pdf"'
    assert b"".join(response.streaming_content) == fake_pdf_bytes(transcript.verification_code)


def test_the_pdf_is_not_found_until_it_is_rendered(school, evidence):
    transcript = services.issue_transcript(student=school.student, issued_by=school.student)  # not committed
    response = client_for(school.student).get(reverse("transcripts:pdf", args=[transcript.pk]))
    assert response.status_code == 404


def test_the_credential_downloads_as_json_holding_the_signed_jwt(transcript, school):
    response = client_for(school.student).get(reverse("transcripts:credential", args=[transcript.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="transcript-2024000001-v1.credential.json"'
    document = json.loads(response.content)
    assert document["jwt"] == transcript.credential
    assert document["jwks_uri"] == "http://testserver/.well-known/jwks.json"
    assert signing.verify_vc_jwt(document["jwt"])["id"] == f"urn:uuid:{transcript.public_id}"


# --- Who is logged -------------------------------------------------------------------------------------------


def test_an_employers_view_and_downloads_are_logged(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    employer = client_for(school.employer)
    employer.get(detail_url(transcript))
    employer.get(reverse("transcripts:pdf", args=[transcript.pk]))
    employer.get(reverse("transcripts:credential", args=[transcript.pk]))
    logged = list(TranscriptAccess.objects.order_by("pk").values_list("user__username", "link", "kind"))
    assert logged == [
        ("employer", None, AccessKind.VIEW),
        ("employer", None, AccessKind.DOWNLOAD),
        ("employer", None, AccessKind.CREDENTIAL),
    ]


def test_the_students_and_teachers_views_are_not_logged(transcript, school):
    client_for(school.student).get(detail_url(transcript))
    client_for(school.class_teacher).get(detail_url(transcript))
    client_for(school.admin).get(reverse("transcripts:pdf", args=[transcript.pk]))
    assert not TranscriptAccess.objects.exists()


def test_the_student_reads_who_opened_it_in_the_access_log(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    client_for(school.employer).get(detail_url(transcript))
    soup = page(client_for(school.student), detail_url(transcript))
    rows = [[text(cell) for cell in row.select("th, td")[:2]] for row in soup.select(".access-log__row")]
    assert rows == [["刘洋", "Opened"]]


# --- Employer feedback ---------------------------------------------------------------------------------------


def give(client, transcript, competency, importance, comment=""):
    return client.post(
        reverse("transcripts:feedback", args=[transcript.pk]),
        {"competency": competency.pk, "importance": importance, "comment": comment},
    )


def test_an_employer_with_a_grant_gives_feedback_on_a_competency(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    response = give(client_for(school.employer), transcript, school.trade, 5, "Exactly what we need")
    assert response.status_code == 302
    feedback = TranscriptFeedback.objects.get()
    assert (feedback.competency, feedback.importance, feedback.comment) == (school.trade, 5, "Exactly what we need")


def test_feedback_given_again_supersedes_the_earlier_and_the_page_shows_the_latest(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    employer = client_for(school.employer)
    give(employer, transcript, school.trade, 3)
    give(employer, transcript, school.trade, 4, "More than we thought")
    soup = page(employer, detail_url(transcript))
    rows = [[text(cell) for cell in row.select("th, td")[:3]] for row in soup.select(".feedback__row")]
    assert rows == [["TRADE Trade knowledge", "4 / 5", "More than we thought"]]
    assert TranscriptFeedback.objects.count() == 2


def test_feedback_outside_one_to_five_is_refused(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    response = give(client_for(school.employer), transcript, school.trade, 6)
    assert response.status_code == 200  # the page again, with the error on the form
    assert not TranscriptFeedback.objects.exists()


# --- Public pages the credential names -----------------------------------------------------------------------


def alignment_target(transcript) -> str:
    clr = signing.verify_vc_jwt(transcript.credential)
    achievement = clr["credentialSubject"]["achievement"][0]
    return achievement["alignment"][0]["targetUrl"]


def test_the_credentials_alignment_target_is_a_public_competency_page(transcript, school):
    target = alignment_target(transcript)  # COMM, the first competency
    soup = page(client_for(None), urlsplit(target).path)
    assert text(soup.select_one("h1")) == "COMM Buyer communication"
    levels = [text(row.th) for row in soup.select("tbody tr")]
    assert levels == ["Beginning", "Developing", "Proficient Mastery", "Exemplary"]


def test_an_unknown_competency_page_is_not_found(school):
    response = client_for(None).get(reverse("transcripts:competency", args=[school.framework.pk, "NOPE"]))
    assert response.status_code == 404


def test_the_issuer_profile_and_keys_answer_at_the_addresses_credentials_name(transcript):
    clr = signing.verify_vc_jwt(transcript.credential)
    issuer = client_for(None).get(urlsplit(clr["issuer"]["id"]).path)
    keys = client_for(None).get("/.well-known/jwks.json")
    assert issuer.json()["id"] == "http://testserver/transcripts/issuer/"
    assert keys.json()["keys"] == [signing.public_jwk()]


# --- Shared with me, and the header link ---------------------------------------------------------------------


def test_shared_with_me_lists_the_transcripts_granted_to_the_employer(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    soup = page(client_for(school.employer), reverse("portfolios:shared_with_me"))
    row = soup.select_one(".shared-transcripts tbody tr")
    assert text(row.th) == "陈小红"
    assert row.select_one("a")["href"] == detail_url(transcript)


def test_shared_with_me_keeps_a_revoked_transcript_marked_and_without_a_link(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Error")
    soup = page(client_for(school.employer), reverse("portfolios:shared_with_me"))
    row = soup.select_one(".shared-transcripts tbody tr")
    assert text(row.select_one(".transcript-standing")) == "Revoked"
    assert row.select_one("a") is None


def test_students_find_their_transcripts_in_the_header(school):
    soup = page(client_for(school.student), reverse("transcripts:mine"))
    link = soup.select_one(".account a[aria-current=page]")
    assert (text(link), link["href"]) == ("My transcripts", reverse("transcripts:mine"))
