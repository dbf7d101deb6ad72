"""The transcript PDF, read back with pypdf: pages, text in both languages, metadata, PDF/A-3b and the credential.

These tests touch no database (pytest-django refuses any query in a test not marked for it), which is how they
show that rendering reads nothing but the snapshot; only the last one, which makes a Wagtail image for the logo,
is marked. Each language is rendered once per module.
"""

import logging
import re
import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image

from portfolios.transcripts.pdf import (
    PageNumberLabel,
    bcp47,
    branding_from_settings,
    page_number_label,
    render_transcript_pdf,
    transcript_html,
)
from tests.transcripts.samples import sample_snapshot
from themes.models import BrandingSettings

VERIFICATION_URL = "https://kesai.example.edu.cn/transcripts/verify/7KQ2M9XH4TRC/"
CODE = "7KQ2M9XH4TRC"
# Any compact JWS will do: the PDF carries it byte for byte, whatever it says.
CREDENTIAL = "eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJkaWQ6d2ViOmtlc2FpIn0.c2lnbmF0dXJl"
A4_POINTS = (595.28, 841.89)  # 210 mm × 297 mm at 72 pt per 25.4 mm
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def render(snapshot: dict, **kwargs) -> tuple[bytes, list[str]]:
    """The PDF and every warning WeasyPrint logged while rendering it."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(handler)
    try:
        pdf = render_transcript_pdf(
            snapshot=snapshot,
            verification_url=kwargs.pop("verification_url", VERIFICATION_URL),
            verification_code=CODE,
            credential_jwt=kwargs.pop("credential_jwt", CREDENTIAL),
            base_url="https://kesai.example.edu.cn/",
            **kwargs,
        )
    finally:
        weasyprint_logger.removeHandler(handler)
    return pdf, messages


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def chinese() -> tuple[bytes, list[str]]:
    return render(sample_snapshot(language="zh-hans", competencies=5, evidence_per_competency=2))


@pytest.fixture(scope="module")
def english() -> tuple[bytes, list[str]]:
    return render(sample_snapshot(language="en", competencies=5, evidence_per_competency=2))


@pytest.fixture
def chinese_pdf(chinese) -> PdfReader:
    return PdfReader(BytesIO(chinese[0]))


def test_transcript_has_at_least_one_page(chinese_pdf):
    assert len(chinese_pdf.pages) >= 1


def test_every_page_is_a4(chinese_pdf):
    for page in chinese_pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_POINTS[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4_POINTS[1], abs=1)


def test_chinese_student_name_is_in_the_text(chinese):
    assert "陈小红" in "".join(page_texts(chinese[0]))


def test_cyrillic_competency_name_is_in_the_text(chinese):
    assert "Платформа операций" in "".join(page_texts(chinese[0]))


def test_no_glyph_is_missing_in_either_language(chinese, english):
    notdef = [message for message in chinese[1] + english[1] if ".notdef" in message]
    assert notdef == []


def test_a_character_no_installed_font_has_is_reported_missing():
    # The control for the test above: Adlam (U+1E900) is in none of the fonts the project installs.
    snapshot = sample_snapshot(language="en", competencies=1, evidence_per_competency=0)
    snapshot["student"]["name"] = "\U0001e900"
    _, messages = render(snapshot)
    assert any(".notdef" in message and "U+1E900" in message for message in messages)


def test_one_font_in_one_weight_is_embedded(chinese_pdf):
    # Chinese, Latin and Cyrillic all come from Noto Sans CJK SC Regular: no fallback font, no bold subset.
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in chinese_pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Noto-Sans-CJK-SC"}


def test_every_page_is_numbered_in_chinese(chinese):
    texts = page_texts(chinese[0])
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页，共 {len(texts)} 页" in text


def test_every_page_is_numbered_in_english(english):
    texts = page_texts(english[0])
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text


def test_labels_are_in_the_snapshots_language(chinese, english):
    assert "行业需求" in "".join(page_texts(chinese[0]))
    assert "Industry demand" in "".join(page_texts(english[0]))


def test_chinese_data_stays_chinese_in_an_english_transcript(english):
    assert "霍尔果斯商学院" in "".join(page_texts(english[0]))


def test_title_names_the_student_and_author_is_the_issuer(chinese_pdf):
    assert "陈小红" in chinese_pdf.metadata.title
    assert chinese_pdf.metadata.author == "霍尔果斯商学院"


def test_document_language_is_the_snapshots(chinese, english):
    assert PdfReader(BytesIO(chinese[0])).trailer["/Root"]["/Lang"] == "zh-Hans"
    assert PdfReader(BytesIO(english[0])).trailer["/Root"]["/Lang"] == "en"


def test_credential_is_embedded_byte_for_byte(chinese_pdf):
    assert chinese_pdf.attachments["credential.jwt"] == [CREDENTIAL.encode("ascii")]


def test_credential_is_an_associated_file_with_its_media_type(chinese_pdf):
    catalog = chinese_pdf.trailer["/Root"]
    # WeasyPrint 70 lists the one file specification twice in /AF (once from /EmbeddedFiles, once as found).
    (number,) = {reference.idnum for reference in catalog["/AF"]}
    filespec = chinese_pdf.get_object(number)
    assert filespec["/UF"] == "credential.jwt"
    assert filespec["/AFRelationship"] == "/Alternative"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/vc+jwt"


def test_xmp_metadata_identifies_pdf_a_3b(chinese_pdf):
    xmp = chinese_pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    packet = xmp[xmp.index(b"<x:xmpmeta") : xmp.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")]
    root = ET.fromstring(packet)  # noqa: S314 - the XMP of a PDF this test just rendered
    descriptions = root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    identification = [(d.get(f"{PDFAID}part"), d.get(f"{PDFAID}conformance")) for d in descriptions]
    assert ("3", "B") in identification


def test_verification_code_and_address_are_printed(chinese):
    text = "".join(page_texts(chinese[0]))
    assert CODE in text
    assert VERIFICATION_URL in text.replace("\n", "")


def test_evidence_row_shows_source_date_reviewer_and_score(english):
    text = "".join(page_texts(english[0]))
    # sample_snapshot: row 1 of CBE-01 was done on 2026-02-11, recorded by 陈静 with score 3.
    assert re.search(r"2026-02-11 虾皮杯初赛 · 商品上架 · 丝路先锋 1.*CBE-01 陈静 3", text)


def test_awards_and_certificates_are_listed(english):
    text = "".join(page_texts(english[0]))
    assert "虾皮杯 · 一等奖 First prize" in text
    assert "1X-B2B-2026-0417" in text


def test_the_pdf_runs_no_javascript(chinese):
    assert b"/JavaScript" not in chinese[0]
    assert b"/JS" not in chinese[0]


# --- The print HTML (faster than a PDF, for what the markup says) ----------------------------------------------


def html_for(snapshot: dict, **kwargs) -> str:
    return transcript_html(snapshot=snapshot, verification_url=VERIFICATION_URL, verification_code=CODE, **kwargs)


def test_radar_chart_has_one_axis_per_competency():
    assert 'data-axes="4"' in html_for(sample_snapshot(competencies=4))


def test_attainment_bar_fills_to_the_figure_and_marks_mastery():
    html = html_for(sample_snapshot(competencies=1))
    # CBE-01 in sample_snapshot: 1.75 of 4 → 43.75 % filled; mastery 3 of 4 → the mark at 75 %.
    assert '<span class="bar__fill" style="width: 43.75%"></span><span class="bar__mark" style="left: 75%">' in html


def test_demand_weight_bar_is_out_of_100():
    html = html_for(sample_snapshot(competencies=1))
    # CBE-01: demand weight 40 + (1 × 7) % 60 = 47 → 47 % of the bar.
    assert '<span class="bar__fill" style="width: 47%"></span></span>' in html
    assert "47 / 100" in html


def test_evidence_behind_two_competencies_is_listed_once_with_both_codes():
    snapshot = sample_snapshot(competencies=2, evidence_per_competency=1)
    snapshot["competencies"][1]["evidence"] = snapshot["competencies"][0]["evidence"]
    html = html_for(snapshot)
    assert html.count("虾皮杯初赛 · 商品上架 · 丝路先锋 0") == 1
    assert '<td class="evidence-table__codes">CBE-01, CBE-02</td>' in html


def test_brand_colour_is_used():
    html = html_for(sample_snapshot(), branding={"primary_colour": "#a31f34"})
    assert "--brand: #a31f34;" in html


def test_a_brand_colour_that_is_not_a_hex_colour_falls_back_to_the_default():
    html = html_for(sample_snapshot(), branding={"primary_colour": "red; } body { background: url(/x) "})
    assert "--brand: #0b6e4f;" in html
    assert "url(/x)" not in html


def test_registrars_footer_is_escaped():
    html = html_for(sample_snapshot(), branding={"footer": "Registry <b>office</b>\nRoom 101"})
    assert "Registry &lt;b&gt;office&lt;/b&gt;<br>Room 101" in html


def test_html_language_is_a_bcp47_tag():
    assert '<html lang="zh-Hans">' in html_for(sample_snapshot(language="zh-hans"))


@pytest.mark.parametrize(
    ("language", "tag"), [("zh-hans", "zh-Hans"), ("en", "en"), ("en-gb", "en-GB"), ("zh_Hant_TW", "zh-Hant-TW")]
)
def test_bcp47_tags(language, tag):
    assert bcp47(language) == tag


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", PageNumberLabel("Page ", " of ", "")), ("zh-hans", PageNumberLabel("第 ", " 页，共 ", " 页"))],
)
def test_page_number_words_are_cut_around_the_numbers(language, label):
    with translation.override(language):
        assert page_number_label() == label


# --- Branding from Settings › Branding ---------------------------------------------------------------------------


def test_branding_without_settings_is_the_default():
    assert branding_from_settings(None) == {}


@pytest.mark.django_db
def test_branding_logo_is_addressed_under_media_url_and_embedded():
    buffer = BytesIO()
    PILImage.new("RGB", (8, 4), (11, 110, 79)).save(buffer, format="PNG")
    logo = Image.objects.create(title="School logo", file=ImageFile(buffer, name="school-logo.png"))
    branding = branding_from_settings(
        BrandingSettings(primary_colour="#a31f34", logo=logo, transcript_footer="Registry, Room 101")
    )
    assert branding == {
        "primary_colour": "#a31f34",
        "logo_url": f"/media/{logo.file.name}",
        "footer": "Registry, Room 101",
    }
    pdf, _ = render(sample_snapshot(competencies=1, evidence_per_competency=0), branding=branding)
    images = {
        xobject.idnum
        for page in PdfReader(BytesIO(pdf)).pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object()["/Subtype"] == "/Image"
    }
    assert len(images) == 1
