"""The one upload validator: size, type by content, safe names, no markup or programs, image pixel limits."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courses.uploads import display_name, validate_upload
from tests.upload_payloads import PDF, office_bytes, png_bytes

EVERYTHING = {"pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "zip", "txt"}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, allowed=EVERYTHING) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content), allowed=allowed)
    return " ".join(caught.value.messages)


def test_valid_pdf_is_accepted_with_a_random_storage_name():
    checked = validate_upload(upload("Business plan.pdf", PDF), allowed={"pdf"})
    assert checked.kind == "pdf"
    assert checked.size == len(PDF)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", checked.storage_name)
    assert checked.original_name == "Business plan.pdf"
    assert checked.content_type == "application/pdf"


def test_valid_png_is_accepted():
    checked = validate_upload(upload("listing.png", png_bytes()), allowed={"png"})
    assert checked.kind == "png"
    assert checked.storage_name.endswith(".png")


def test_valid_docx_is_accepted():
    checked = validate_upload(upload("report.docx", office_bytes("word/")), allowed={"docx"})
    assert checked.kind == "docx"
    assert checked.storage_name.endswith(".docx")


def test_xlsx_and_pptx_are_told_apart_by_their_folders():
    assert validate_upload(upload("sales.xlsx", office_bytes("xl/")), allowed=EVERYTHING).kind == "xlsx"
    assert validate_upload(upload("pitch.pptx", office_bytes("ppt/")), allowed=EVERYTHING).kind == "pptx"


def test_a_plain_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "really a ZIP archive" in refusal("report.docx", buffer.getvalue())


def test_a_document_with_macros_is_refused():
    content = office_bytes("word/", {"word/vbaProject.bin": b"\x00macro"})
    assert "macros" in refusal("report.docx", content)


def test_utf8_text_is_accepted_and_other_encodings_refused():
    assert validate_upload(upload("notes.txt", "询盘回复 — inquiry reply".encode()), allowed={"txt"}).kind == "txt"
    assert "UTF-8" in refusal("notes.txt", "询盘回复".encode("gb18030"), allowed={"txt"})


def test_text_with_nul_bytes_is_not_text():
    assert "not recognised" in refusal("notes.txt", b"abc\x00def")


def test_the_file_is_left_at_its_start_for_saving():
    file = upload("listing.png", png_bytes())
    validate_upload(file, allowed={"png"})
    assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_oversized_file_is_refused(settings):
    settings.KESAI_UPLOAD_MAX_BYTES = 1024
    message = refusal("big.pdf", PDF + b"0" * 2000)
    assert "at most 1.0\xa0KB" in message


def test_a_file_one_byte_over_the_limit_is_told_its_exact_size(settings):
    settings.KESAI_UPLOAD_MAX_BYTES = 1024
    message = refusal("big.pdf", PDF + b"0" * (1025 - len(PDF)))  # 1,025 bytes rounds to 1.0 KB, like the limit
    assert message == "The file is 1.0\xa0KB (1,025 bytes); files can be at most 1.0\xa0KB."


def test_a_file_well_over_the_limit_is_told_its_rounded_size(settings):
    settings.KESAI_UPLOAD_MAX_BYTES = 1024
    message = refusal("big.pdf", PDF + b"0" * 2000)
    assert message.startswith("The file is 2.0\xa0KB; ")


def test_empty_file_is_refused():
    assert "empty" in refusal("empty.pdf", b"")


def test_html_behind_a_pdf_extension_is_refused():
    message = refusal("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    assert "HTML" in message


def test_png_behind_a_pdf_extension_is_refused():
    assert "really a PNG image" in refusal("report.pdf", png_bytes())


def test_kind_not_accepted_by_the_caller_is_refused():
    assert "cannot be uploaded here" in refusal("listing.png", png_bytes(), allowed={"pdf", "docx"})


def test_svg_with_a_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    for name in ("logo.svg", "logo.png", "logo.txt"):
        assert "SVG" in refusal(name, svg)


def test_svg_after_an_xml_declaration_is_refused():
    svg = b'\xef\xbb\xbf  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert "SVG" in refusal("logo.txt", svg)


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00", b"\x7fELF\x02\x01\x01\x00", b"#!/bin/sh\nrm -rf /\n"],
    ids=["windows", "linux", "script"],
)
def test_programs_are_refused(content):
    assert "Programs" in refusal("homework.pdf", content)


def test_unknown_binary_is_refused():
    assert "not recognised" in refusal("data.pdf", b"\x1f\x8b\x08\x00" + bytes(range(200)))


def test_path_characters_in_the_name_are_stripped():
    checked = validate_upload(upload("../../etc/passwd.pdf", PDF), allowed={"pdf"})
    assert checked.original_name == "passwd.pdf"
    assert "/" not in checked.storage_name and ".." not in checked.storage_name


def test_display_name_drops_folders_control_characters_and_leading_dots():
    assert display_name("..\\..\\Windows\\system.ini") == "system.ini"
    assert display_name("evil\u202efdp.exe") == "evilfdp.exe"
    assert display_name("line\r\nbreak\x00.pdf") == "linebreak.pdf"
    assert display_name("../..") == "file"
    assert display_name(".hidden.pdf") == "hidden.pdf"


def test_display_name_is_cut_to_255_characters_keeping_the_extension():
    name = display_name("长" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith(".pdf")


def test_decompression_bomb_png_is_refused():
    # 14,000 × 14,000 = 196 million pixels, over twice Pillow's own limit: Pillow raises DecompressionBombError.
    buffer = io.BytesIO()
    Image.new("1", (14_000, 14_000)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000  # small on disk
    assert "too large" in refusal("bomb.png", buffer.getvalue())


def test_image_over_the_pixel_limit_is_refused(settings):
    # 200 × 100 = 20,000 pixels against a limit of 10,000.
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000
    assert "too large" in refusal("wide.png", png_bytes(size=(200, 100)))


def test_pillow_decompression_bomb_warning_is_treated_as_an_error(settings, monkeypatch):
    # Over Pillow's warning threshold but under our limit: the warning alone must refuse the image.
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    # 150 × 100 = 15,000 pixels: over 10,000 (warning), under 20,000 (error).
    assert "too large" in refusal("warned.png", png_bytes(size=(150, 100)))


def test_truncated_image_is_refused():
    assert "damaged" in refusal("broken.png", png_bytes()[:60])
