"""The public verification page: by code (the QR code's target), by the PDF's bytes and by the signed credential;
its answers (valid, superseded, revoked, not genuine) with the summary; its upload limits; and the rate limits
that stop code and share-token guessing.

Summary figures (see conftest): ``student`` has 2 competencies on the transcript, both attained, 1 mastered.
"""

import base64
import json
import os
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from portfolios.models import RenderStatus
from portfolios.transcripts import services, signing
from tests.transcripts.conftest import client_for

pytestmark = pytest.mark.django_db

VERIFY = reverse("transcripts:verify")


def code_url(code: str) -> str:
    return reverse("transcripts:verify_code", args=[code])


def answer(response) -> dict[str, str]:
    """The verdict and the summary's facts, as a visitor reads them."""
    soup = BeautifulSoup(response.content, "html.parser")
    verdict = soup.select_one(".verification__verdict")
    facts = {
        " ".join(item.dt.get_text().split()): " ".join(item.dd.get_text().split())
        for item in soup.select(".verification__summary .facts__item")
    }
    return {"verdict": verdict.get_text(strip=True) if verdict else "", **facts}


def upload_pdf(client, content: bytes):
    return client.post(VERIFY, {"way": "pdf", "pdf": SimpleUploadedFile("transcript.pdf", content)})


def paste_credential(client, text: str):
    return client.post(VERIFY, {"way": "credential", "credential_text": text})


def stored_pdf(transcript) -> bytes:
    with transcript.pdf.open("rb") as handle:
        return handle.read()


# --- By code -------------------------------------------------------------------------------------------------


def test_a_valid_code_answers_valid_with_the_summary(transcript):
    response = client_for(None).get(code_url(transcript.verification_code))
    assert response.status_code == 200
    seen = answer(response)
    assert seen["verdict"] == "Valid"
    assert seen["Student"] == "陈小红"
    assert seen["Programme"] == f"{transcript.snapshot['programme']['name']} · Class A"
    assert seen["Competencies attained"] == "2 of 2"
    assert seen["Mastered"] == "1"
    assert seen["Issued on"] == date_filter(timezone.localtime(transcript.issued_at), "DATE_FORMAT")


def test_the_summary_leaves_the_evidence_out(transcript):
    html = client_for(None).get(code_url(transcript.verification_code)).content.decode()
    assert "EC101 quiz" not in html


def test_a_code_typed_in_lower_case_with_dashes_is_found(transcript):
    code = transcript.verification_code.lower()
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    assert answer(client_for(None).get(code_url(typed)))["verdict"] == "Valid"


def test_the_code_form_leads_to_the_codes_address(transcript):
    response = client_for(None).get(VERIFY, {"code": transcript.verification_code})
    assert response.status_code == 302
    assert response["Location"] == code_url(transcript.verification_code)


def test_the_answer_to_a_code_keeps_the_checked_code_in_the_code_box(transcript):
    code = transcript.verification_code.lower()
    soup = BeautifulSoup(client_for(None).get(code_url(f"{code[:4]}-{code[4:]}")).content, "html.parser")
    assert soup.select_one("input[name=code]")["value"] == transcript.verification_code  # as stored: upper case


def test_the_empty_form_has_an_empty_code_box(transcript):
    soup = BeautifulSoup(client_for(None).get(VERIFY).content, "html.parser")
    assert not soup.select_one("input[name=code]").get("value")


def test_an_unknown_code_is_not_genuine(transcript):
    assert answer(client_for(None).get(code_url("ABCDEFGHJKMN")))["verdict"] == "Not genuine"


def test_a_superseded_transcript_says_so_by_its_code(issue, transcript):
    issue()
    assert answer(client_for(None).get(code_url(transcript.verification_code)))["verdict"] == (
        "Superseded by a newer transcript"
    )


def test_a_revoked_transcript_says_so_with_the_date_but_not_the_reason(transcript, school):
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Plagiarised project")
    response = client_for(None).get(code_url(transcript.verification_code))
    assert answer(response)["verdict"] == "Revoked"
    assert "revoked on" in response.content.decode()
    assert "Plagiarised" not in response.content.decode()


# --- By PDF --------------------------------------------------------------------------------------------------


def test_the_issued_pdf_bytes_are_valid(transcript):
    assert answer(upload_pdf(client_for(None), stored_pdf(transcript)))["verdict"] == "Valid"


def test_a_pdf_with_one_changed_byte_is_not_genuine(transcript):
    content = bytearray(stored_pdf(transcript))
    content[-10] ^= 0x01
    assert answer(upload_pdf(client_for(None), bytes(content)))["verdict"] == "Not genuine"


def test_a_rendered_pdf_verifies_end_to_end(issue):
    """WeasyPrint for real: the file the student downloads is the file the page accepts."""
    transcript = issue()
    assert transcript.render_status == RenderStatus.DONE
    downloaded = b"".join(
        client_for(transcript.student).get(reverse("transcripts:pdf", args=[transcript.pk])).streaming_content
    )
    assert downloaded.startswith(b"%PDF-")
    assert answer(upload_pdf(client_for(None), downloaded))["verdict"] == "Valid"


def test_a_file_that_is_not_a_pdf_is_refused_on_the_form(transcript):
    response = upload_pdf(client_for(None), b"GIF89a not a transcript")
    assert "This file is not a PDF." in response.content.decode()
    assert answer(response)["verdict"] == ""


def test_an_upload_over_the_limit_is_refused_before_it_is_read(transcript, settings):
    settings.KESAI_VERIFY_MAX_BYTES = 1024
    # The limit plus the multipart slack (64 KiB) is what a body may carry; this one carries 100 KiB.
    response = upload_pdf(client_for(None), b"%PDF-1.7\n" + b"0" * 100 * 1024)
    assert response.status_code == 413


def test_verification_keeps_no_upload(transcript, settings):
    def files_under(root):
        return sorted(os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names)

    roots = [settings.MEDIA_ROOT, settings.TEST_FILES_ROOT / "private-media"]
    before = [files_under(root) for root in roots]
    upload_pdf(client_for(None), stored_pdf(transcript))
    assert [files_under(root) for root in roots] == before


# --- By credential -------------------------------------------------------------------------------------------


def test_the_downloaded_credential_file_is_valid(transcript):
    download = client_for(transcript.student).get(reverse("transcripts:credential", args=[transcript.pk]))
    upload = SimpleUploadedFile("credential.json", download.content, content_type="application/json")
    response = client_for(None).post(VERIFY, {"way": "credential", "credential_file": upload})
    assert answer(response)["verdict"] == "Valid"


def test_a_pasted_jwt_is_valid(transcript):
    assert answer(paste_credential(client_for(None), transcript.credential))["verdict"] == "Valid"


def test_a_credential_with_a_changed_claim_is_not_genuine(transcript):
    header, payload, signature = transcript.credential.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["name"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert answer(paste_credential(client_for(None), f"{header}.{forged}.{signature}"))["verdict"] == "Not genuine"


def test_a_credential_signed_with_another_key_is_not_genuine(transcript):
    clr = signing.verify_vc_jwt(transcript.credential)
    other = signing.sign_vc_jwt(clr, private_key=Ed25519PrivateKey.generate())
    assert answer(paste_credential(client_for(None), other))["verdict"] == "Not genuine"


def test_a_superseded_credential_says_so(issue, transcript):
    issue()
    assert answer(paste_credential(client_for(None), transcript.credential))["verdict"] == (
        "Superseded by a newer transcript"
    )


def test_a_revoked_credential_says_so(transcript, school):
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Error")
    assert answer(paste_credential(client_for(None), transcript.credential))["verdict"] == "Revoked"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\xff\xfe" + bytes(64), b"\xff" * 8, b"  \n"],
    ids=["program", "not UTF-8", "blank"],
)
def test_a_credential_file_that_holds_no_credential_is_not_genuine(transcript, content):
    """Whatever a file holds is verified: bytes that are not text get the forgery's answer, not "upload one"."""
    upload = SimpleUploadedFile("credential.jwt", content, content_type="application/octet-stream")
    response = client_for(None).post(VERIFY, {"way": "credential", "credential_file": upload})
    assert answer(response)["verdict"] == "Not genuine"
    assert "Upload the credential file or paste the credential." not in response.content.decode()


def test_a_credential_form_with_nothing_given_asks_for_one(transcript):
    response = client_for(None).post(VERIFY, {"way": "credential"})
    assert "Upload the credential file or paste the credential." in response.content.decode()


# --- Rate limits ---------------------------------------------------------------------------------------------


def test_guessing_codes_hits_the_rate_limit(transcript, settings):
    settings.KESAI_VERIFY_RATE = "3/d"
    guesser = client_for(None)
    statuses = [guesser.get(code_url(f"ABCDEFGHJK{n}{n}")).status_code for n in range(2, 6)]
    assert statuses == [200, 200, 200, 429]


def test_the_rate_limit_page_says_when_to_try_again(transcript, settings):
    settings.KESAI_VERIFY_RATE = "1/d"
    guesser = client_for(None)
    guesser.get(code_url("ABCDEFGHJKMN"))
    response = guesser.get(code_url(transcript.verification_code))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "please wait about 60 seconds" in response.content.decode()


def test_the_rate_limit_counts_each_address_apart(transcript, settings):
    settings.KESAI_VERIFY_RATE = "1/d"
    client_for(None).get(code_url("ABCDEFGHJKMN"), REMOTE_ADDR="203.0.113.7")
    response = client_for(None).get(code_url(transcript.verification_code), REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 200


def test_repeated_uploads_hit_the_rate_limit(transcript, settings):
    settings.KESAI_VERIFY_UPLOAD_RATE = "2/d"
    uploader = client_for(None)
    statuses = [paste_credential(uploader, "not.a.credential").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_guessing_share_tokens_hits_the_rate_limit(transcript, school, settings):
    settings.KESAI_SHARE_LINK_RATE = "3/d"
    _link, token = services.create_link(
        transcript=transcript, student=school.student, expires_at=timezone.now() + timedelta(days=1)
    )
    guesser = client_for(None)
    statuses = [guesser.get(reverse("transcripts:shared", args=[f"guess{n:027d}"])).status_code for n in range(3)]
    statuses.append(guesser.get(reverse("transcripts:shared", args=[token])).status_code)
    assert statuses == [404, 404, 404, 429]  # even the right token is refused once the address is limited
