"""Files attached to artefacts pass the project's one upload validator (courses.uploads) inside save_artefact.

Accepted files are stored in private storage under a random name; refused ones leave nothing behind.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.uploads import private_storage
from portfolios.models import Artefact, ArtefactVersion
from portfolios.services import ArtefactInput, save_artefact
from tests.upload_payloads import (
    HTML_PAGE,
    PDF,
    SVG_WITH_SCRIPT,
    WINDOWS_EXE,
    office_bytes,
    png_bytes,
    png_claiming_size,
)

STORED_NAME = re.compile(r"portfolios/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|docx)")


def refusal(make_artefact, file) -> str:
    with pytest.raises(ValidationError) as caught:
        make_artefact(title="Certificate scan", file=file)
    return " ".join(caught.value.messages)


def stored_files() -> set[Path]:
    """Every file in private storage (the folder is shared by the test run, so compare before and after)."""
    root = Path(private_storage().location)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def edit(artefact: Artefact, *, student, file=None) -> Artefact:
    return save_artefact(
        student=student,
        kind=artefact.kind,
        data=ArtefactInput(title="Second version", done_on=date(2026, 6, 1)),
        file=file,
        artefact=artefact,
    )


# --- accepted ----------------------------------------------------------------------------------------


def test_a_pdf_is_stored_privately_under_a_random_name(school, make_artefact):
    version = make_artefact(file=SimpleUploadedFile("Business plan.pdf", PDF)).current_version
    assert STORED_NAME.fullmatch(version.file.name)
    assert version.file.name.endswith(".pdf")
    assert (version.original_filename, version.file_kind) == ("Business plan.pdf", "pdf")
    with private_storage().open(version.file.name, "rb") as stored:
        assert stored.read() == PDF


def test_a_png_is_stored_and_marked_as_an_image(school, make_artefact):
    version = make_artefact(file=SimpleUploadedFile("证书.png", png_bytes())).current_version
    assert STORED_NAME.fullmatch(version.file.name)
    assert (version.original_filename, version.file_kind, version.is_image) == ("证书.png", "png", True)


def test_a_word_document_is_accepted(school, make_artefact):
    version = make_artefact(file=SimpleUploadedFile("report.docx", office_bytes("word/"))).current_version
    assert (version.file_kind, version.is_image) == ("docx", False)


def test_the_file_is_not_stored_in_public_media(school, make_artefact, settings):
    version = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF)).current_version
    private_root = Path(private_storage().location).resolve()
    assert Path(private_storage().path(version.file.name)).resolve().is_relative_to(private_root)
    assert not Path(settings.MEDIA_ROOT, version.file.name).exists()


def test_two_files_with_the_same_name_get_different_storage_names(school, make_artefact):
    first = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF)).current_version
    second = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF)).current_version
    assert first.file.name != second.file.name
    assert first.original_filename == second.original_filename == "plan.pdf"


def test_the_next_version_keeps_the_file_when_none_is_uploaded(school, make_artefact):
    artefact = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF))
    first = artefact.current_version
    second = edit(artefact, student=school.student).current_version
    assert second.number == 2
    assert (second.file.name, second.original_filename, second.file_kind) == (
        first.file.name,
        "plan.pdf",
        "pdf",
    )


def test_a_new_file_replaces_it_in_the_next_version_only(school, make_artefact):
    artefact = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF))
    first = artefact.current_version
    second = edit(artefact, student=school.student, file=SimpleUploadedFile("scan.png", png_bytes())).current_version
    first.refresh_from_db()
    assert (first.original_filename, first.file_kind) == ("plan.pdf", "pdf")
    assert (second.original_filename, second.file_kind) == ("scan.png", "png")
    assert first.file.name != second.file.name
    assert private_storage().exists(first.file.name)


def test_a_version_without_a_file_has_none(school, make_artefact):
    version = make_artefact().current_version
    assert not version.file
    assert (version.original_filename, version.file_kind) == ("", "")


# --- refused -----------------------------------------------------------------------------------------


def test_an_oversized_file_is_refused(school, make_artefact, settings):
    settings.KESAI_UPLOAD_MAX_BYTES = 1024
    # 78-byte PDF + 2,000 bytes of padding = 2,078 bytes > 1,024.
    assert "at most 1.0\xa0KB" in refusal(make_artefact, SimpleUploadedFile("big.pdf", PDF + b"0" * 2000))


def test_a_file_at_the_size_limit_is_accepted(school, make_artefact, settings):
    settings.KESAI_UPLOAD_MAX_BYTES = len(PDF)
    version = make_artefact(file=SimpleUploadedFile("exact.pdf", PDF)).current_version
    assert version.file_kind == "pdf"


def test_an_html_page_named_pdf_is_refused(school, make_artefact):
    assert "HTML" in refusal(make_artefact, SimpleUploadedFile("report.pdf", HTML_PAGE))


@pytest.mark.parametrize("name", ["logo.svg", "logo.png"])
def test_an_svg_with_a_script_is_refused(school, make_artefact, name):
    assert "SVG" in refusal(make_artefact, SimpleUploadedFile(name, SVG_WITH_SCRIPT))


def test_a_program_renamed_docx_is_refused(school, make_artefact):
    assert "Programs" in refusal(make_artefact, SimpleUploadedFile("report.docx", WINDOWS_EXE))


def test_a_png_named_pdf_is_refused(school, make_artefact):
    assert "really a PNG image" in refusal(make_artefact, SimpleUploadedFile("report.pdf", png_bytes()))


def test_a_document_with_macros_is_refused(school, make_artefact):
    content = office_bytes("word/", {"word/vbaProject.bin": b"\x00macro"})
    assert "macros" in refusal(make_artefact, SimpleUploadedFile("report.docx", content))


def test_a_decompression_bomb_png_is_refused(school, make_artefact):
    # A 1×1 PNG whose header claims 20,000 × 20,000 = 400 million pixels, in well under a kilobyte.
    bomb = png_claiming_size(20_000, 20_000)
    assert len(bomb) < 1024
    assert "too large" in refusal(make_artefact, SimpleUploadedFile("bomb.png", bomb))


def test_a_png_over_the_site_pixel_limit_is_refused(school, make_artefact):
    # 8,000 × 6,000 = 48 million pixels: under Pillow's own bomb limits, over the site's 40 million.
    assert "too large" in refusal(make_artefact, SimpleUploadedFile("wide.png", png_claiming_size(8_000, 6_000)))


@pytest.mark.parametrize(
    "content",
    [HTML_PAGE, SVG_WITH_SCRIPT, WINDOWS_EXE, png_claiming_size(20_000, 20_000)],
    ids=["html", "svg", "exe", "bomb"],
)
def test_a_refused_file_leaves_no_artefact_and_no_stored_file(school, make_artefact, content):
    before = stored_files()
    with pytest.raises(ValidationError):
        make_artefact(file=SimpleUploadedFile("evidence.pdf", content))
    assert not Artefact.objects.exists()
    assert not ArtefactVersion.objects.exists()
    assert stored_files() == before


def test_a_refused_file_on_an_edit_keeps_the_artefact_at_its_version(school, make_artefact):
    artefact = make_artefact(file=SimpleUploadedFile("plan.pdf", PDF))
    with pytest.raises(ValidationError):
        edit(artefact, student=school.student, file=SimpleUploadedFile("plan.pdf", HTML_PAGE))
    artefact.refresh_from_db()
    assert artefact.current_version.number == 1
    assert artefact.versions.count() == 1


# --- names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\\b.pdf", "b.pdf"),
        ("..\\..\\Windows\\win.pdf", "win.pdf"),
        ("line\r\nbreak\x07.pdf", "linebreak.pdf"),
        ("tab\there\x1b[31m.pdf", "tabhere[31m.pdf"),
        ("report\u202efdp.pdf", "reportfdp.pdf"),  # right-to-left override
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        (".hidden.pdf", "hidden.pdf"),
    ],
)
def test_a_dangerous_name_is_stored_randomly_and_shown_cleaned(school, make_artefact, name, shown):
    version = make_artefact(file=SimpleUploadedFile(name, PDF)).current_version
    assert STORED_NAME.fullmatch(version.file.name)
    assert version.original_filename == shown


@pytest.mark.parametrize(
    ("name", "shown"),
    [("../../etc/passwd.pdf", "passwd.pdf"), ("/etc/cron.d/evil.pdf", "evil.pdf"), ("nul\x00byte.pdf", "nulbyte.pdf")],
)
def test_a_raw_path_that_bypassed_django_name_cleaning_stays_in_the_upload_folder(school, make_artefact, name, shown):
    # Django's UploadedFile already keeps only the base name; a plain File does not, so the service must not
    # rely on that.
    version = make_artefact(file=ContentFile(PDF, name=name)).current_version
    assert STORED_NAME.fullmatch(version.file.name)
    assert version.original_filename == shown
    private_root = Path(private_storage().location).resolve()
    assert Path(private_storage().path(version.file.name)).resolve().is_relative_to(private_root / "portfolios")


def test_a_very_long_name_is_cut_to_255_characters_keeping_the_extension(school, make_artefact):
    version = make_artefact(file=ContentFile(PDF, name="长" * 300 + ".pdf")).current_version
    assert len(version.original_filename) == 255
    assert version.original_filename.endswith(".pdf")


def test_a_response_refused_after_its_file_was_stored_leaves_no_file_behind(school, make_artefact, levels):
    from portfolios.models import ReviewVerdict, Visibility
    from portfolios.services import request_review, set_visibility, sign_off

    artefact = make_artefact(title="Certificate scan")
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.REVIEWERS)
    request_review(artefact=artefact, student=school.student)
    sign_off(artefact=artefact, reviewer=school.class_teacher, verdict=ReviewVerdict.MEETS, level=levels[3], comment="")
    set_visibility(artefact=artefact, student=school.student, visibility=Visibility.PRIVATE)
    before = stored_files()
    with pytest.raises(ValidationError, match="Private artefacts"):
        save_artefact(  # a response to a review goes straight back to review, which a private artefact cannot
            student=school.student,
            kind=artefact.kind,
            data=ArtefactInput(title="Clearer scan", done_on=date(2026, 6, 1), competencies=[school.trade]),
            file=SimpleUploadedFile("scan.pdf", PDF),
            artefact=artefact,
        )
    assert stored_files() == before
    assert ArtefactVersion.objects.filter(artefact=artefact).count() == 1
