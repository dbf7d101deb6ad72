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
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.services import record_evidence
from portfolios.models import AccessKind, Transcript, TranscriptAccess, TranscriptFeedback
from portfolios.transcripts import permissions, services, signing
from tests.factories import EnrolmentFactory, UserFactory, outcome
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
        [row.select_one("td time")["datetime"]] + [text(cell) for cell in row.select("td")[3:]]
        for row in soup.select(".transcript-evidence tbody tr")
    ]
    assert rows == [
        ["2026-04-01", "4", "TRADE"],
        ["2026-03-15", "1", "COMM"],
        ["2026-03-01", "2", "TRADE"],
    ]


def test_the_evidence_dates_are_written_as_every_other_date_on_the_page_and_do_not_wrap(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    first = soup.select_one(".transcript-evidence tbody tr td")
    assert text(first) == date_filter(date(2026, 4, 1), "DATE_FORMAT")
    assert "evidence-table__date" in first["class"]  # white-space: nowrap (transcript-page.css)
    issued = soup.select_one(".transcript__header time")
    assert text(issued) == date_filter(timezone.localtime(transcript.issued_at), "DATE_FORMAT")


def test_rows_of_one_work_recorded_against_two_outcomes_are_told_apart_by_their_weights(school, issue):
    # One piece of work assessed against two outcomes: same date, source and score, aligned to TRADE with
    # different weights. The snapshot has no outcome, but it has each row's weight towards the competency.
    lo2 = outcome(course=school.course, code="LO2", aligned=[(school.trade, "0.5")])
    for target in (school.lo1, lo2):
        record_evidence(
            student=school.student,
            score=Decimal("3"),
            done_on=date(2026, 5, 1),
            source_kind="course_assessment",
            source_title="EC101 portfolio",
            recorded_by=school.course_teacher,
            outcome=target,
        )
    soup = page(client_for(school.student), detail_url(issue()))
    counts = [
        text(row.select_one(".evidence-table__counts"))
        for row in soup.select(".transcript-evidence tbody tr")
        if "EC101 portfolio" in text(row)
    ]
    assert sorted(counts) == ["TRADE", "TRADE weight ×0.5"]
    assert soup.select_one(".evidence-table__note") is not None  # says what the weight means


def test_the_evidence_table_explains_no_weight_when_every_row_counts_in_full(transcript, school):
    soup = page(client_for(school.student), detail_url(transcript))
    assert soup.select(".evidence-table__weight, .evidence-table__note") == []


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


# --- Issuing from "My transcripts": the language ---------------------------------------------------------------


def issue_form(client) -> BeautifulSoup:
    return page(client, reverse("transcripts:mine")).select_one("form.transcripts__issue")


def test_the_issue_form_offers_the_sites_languages_each_in_its_own_name(school):
    form = issue_form(client_for(school.student))
    options = [(option["value"], text(option)) for option in form.select("select[name=language] option")]
    assert options == [("en", "English"), ("zh-hans", "简体中文")]
    assert [code for code, _name in options] == [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_issue_form_starts_on_the_language_of_the_page(school, language):
    client = client_for(school.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the site's language switch sets
    form = issue_form(client)
    assert form.select_one("select[name=language] option[selected]")["value"] == language


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_student_chooses_the_language_of_the_transcript(school, evidence, language):
    client = client_for(school.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if language == "zh-hans" else "zh-hans"  # not the page's
    response = client.post(reverse("transcripts:issue"), {"language": language})
    assert response.status_code == 302
    transcript = Transcript.objects.get(student=school.student)
    assert (transcript.language, transcript.snapshot["language"]) == (language, language)


def test_a_language_the_site_does_not_offer_issues_nothing(school, evidence):
    response = client_for(school.student).post(reverse("transcripts:issue"), {"language": "fr"}, follow=True)
    assert not Transcript.objects.exists()
    assert "fr is not one of the available choices" in response.content.decode()


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


def test_saved_feedback_is_confirmed_at_the_top_of_the_feedback_panel_where_the_redirect_lands(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    employer = client_for(school.employer)
    response = give(employer, transcript, school.trade, 5)
    assert response["Location"] == detail_url(transcript) + "#feedback"
    soup = page(employer, detail_url(transcript))
    assert [text(item) for item in soup.select("#feedback .transcript__panel-messages .message")] == [
        "Thank you: your feedback on TRADE is saved."
    ]
    assert soup.select("main > .messages") == []
    assert soup.select_one("#feedback form")["action"].endswith("#feedback")


def test_the_date_feedback_was_given_is_written_as_the_other_dates(transcript, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    employer = client_for(school.employer)
    give(employer, transcript, school.trade, 4)
    given = page(employer, detail_url(transcript)).select_one(".feedback__row td:last-child")
    feedback = TranscriptFeedback.objects.get()
    assert text(given) == date_filter(timezone.localtime(feedback.given_at), "DATETIME_FORMAT")
    assert text(given).startswith(date_filter(timezone.localtime(feedback.given_at), "DATE_FORMAT"))


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
    assert text(row.select_one(".transcript-standing")).startswith("Revoked")
    assert text(row.select_one(".transcript-standing + .muted")) == date_filter(
        timezone.localtime(Transcript.objects.get().revoked_at), "DATE_FORMAT"
    )
    assert row.select_one("a") is None


def shared_rows(client) -> list[dict]:
    """Each student's row on "Shared with me": the newest version shared, and the earlier ones under it."""
    soup = page(client, reverse("portfolios:shared_with_me"))
    rows = []
    for student in soup.select(".shared-transcripts tbody.shared-transcripts__student"):
        newest = student.select_one("tr.shared-transcripts__newest")
        rows.append(
            {
                "student": text(newest.th),
                "version": text(newest.select_one(".shared-transcripts__version")),
                "standing": text(newest.select_one(".transcript-standing")),
                "href": (newest.select_one("a") or {}).get("href"),
                "earlier": [
                    (text(item.select_one(".transcript-standing")), (item.select_one("a") or {}).get("href"))
                    for item in student.select(".shared-transcripts__earlier-list li")
                ],
            }
        )
    return rows


def test_shared_with_me_shows_one_row_per_student_with_the_newest_version_and_the_earlier_under_it(
    transcript, issue, school
):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    second = issue()  # shared with the employer too, as re-issuing does
    other = issue(school.other_student)
    services.grant_to_employer(transcript=other, student=school.other_student, employer=school.employer)
    assert shared_rows(client_for(school.employer)) == [
        {"student": "张小刚", "version": "1", "standing": "Valid", "href": detail_url(other), "earlier": []},
        {
            "student": "陈小红",
            "version": "2",
            "standing": "Valid",
            "href": detail_url(second),
            "earlier": [("Superseded by a newer transcript", detail_url(transcript))],
        },
    ]


def test_shared_with_me_shows_a_revoked_newest_version_with_the_earlier_still_reachable(transcript, issue, school):
    services.grant_to_employer(transcript=transcript, student=school.student, employer=school.employer)
    second = issue()
    services.revoke_transcript(transcript=second, revoked_by=school.class_teacher, reason="Error")
    [row] = shared_rows(client_for(school.employer))
    assert (row["version"], row["standing"].split()[0], row["href"]) == ("2", "Revoked", None)
    assert row["earlier"] == [("Superseded by a newer transcript", detail_url(transcript))]


def test_shared_with_me_introduces_portfolios_and_transcripts_under_headings_drawn_alike(school):
    soup = page(client_for(school.employer), reverse("portfolios:shared_with_me"))
    assert "transcript" in text(soup.select_one(".page-intro .lead"))
    headings = soup.select("main h2")
    assert [text(h) for h in headings] == ["Portfolios", "Transcripts"]
    assert {(h.parent.name, tuple(h.parent.get("class", []))) for h in headings} == {("section", ("course__section",))}


def test_shared_with_me_costs_the_same_queries_for_2_and_10_transcripts(school, issue, django_assert_num_queries):
    students = [school.student, school.other_student]
    for number in range(3, 7):
        student = UserFactory(username=f"20240000{number:02d}", roles=["Students"])
        EnrolmentFactory(cohort=school.cohort, student=student)
        record_evidence(
            student=student,
            score=Decimal("2"),
            done_on=date(2026, 3, 1),
            source_kind="course_assessment",
            source_title="EC101 quiz",
            recorded_by=school.course_teacher,
            outcome=school.lo1,
        )
        students.append(student)
    for student in students:  # 10 transcripts: 6 students, 4 of them with two versions shared
        services.grant_to_employer(transcript=issue(student), student=student, employer=school.employer)
    newest = [issue(student) for student in students[:4]]  # the new version is shared with the same employers
    few_employer = UserFactory(username="few.employer", roles=["Employers"])
    for transcript in newest[:2]:  # 2 transcripts, of 2 students
        services.grant_to_employer(transcript=transcript, student=transcript.student, employer=few_employer)
    assert (permissions.shared_with(few_employer).count(), permissions.shared_with(school.employer).count()) == (2, 10)
    few, many = client_for(few_employer), client_for(school.employer)
    few.get(reverse("portfolios:shared_with_me"))  # warm per-process caches
    many.get(reverse("portfolios:shared_with_me"))
    with CaptureQueriesContext(connection) as counted:
        assert len(shared_rows(few)) == 2
    with django_assert_num_queries(len(counted)):
        assert len(shared_rows(many)) == 6


def test_students_find_their_transcripts_in_the_header(school):
    soup = page(client_for(school.student), reverse("transcripts:mine"))
    link = soup.select_one(".account a[aria-current=page]")
    assert (text(link), link["href"]) == ("My transcripts", reverse("transcripts:mine"))
