"""The transcript PDF, read back with pypdf: pages, text in both languages, metadata, PDF/A-3b and the credential.

These tests touch no database (pytest-django refuses any query in a test not marked for it), which is how they
show that rendering reads nothing but the snapshot; only the last one, which makes a Wagtail image for the logo,
is marked. Each language is rendered once per module.
"""

import logging
import re
import xml.etree.ElementTree as ET
from base64 import b64decode
from html import unescape
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image
from weasyprint import HTML

from portfolios.transcripts.fetcher import ProjectFilesFetcher
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
SVG = "{http://www.w3.org/2000/svg}"


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
    # Read by position: the table's columns are set one after another, its rows line up across them.
    text = "".join(page.extract_text(extraction_mode="layout") for page in PdfReader(BytesIO(english[0])).pages)
    # sample_snapshot: row 1 of CBE-01 was done on 2026-02-11, recorded by 陈静 with score 3.
    assert re.search(r"2026-02-11 +虾皮杯初赛 · 商品上架 · 丝路先锋 1 +CBE-01 +3 +陈静\n", text)


def test_awards_and_certificates_are_listed(english):
    text = "".join(page_texts(english[0]))
    assert "虾皮杯 · 一等奖 First prize" in text
    assert "1X-B2B-2026-0417" in text


# --- Density: the design's benchmark transcript on two pages -----------------------------------------------------


def dense_snapshot(language: str) -> dict:
    """40 competencies and 100 evidence rows: 3 rows for each of the first 20, 2 for the other 20 (60 + 40)."""
    snapshot = sample_snapshot(language=language, competencies=40, evidence_per_competency=3)
    for competency in snapshot["competencies"][20:]:
        competency["evidence"] = competency["evidence"][:2]
    return snapshot


@pytest.fixture(scope="module", params=["zh-hans", "en"])
def dense(request) -> bytes:
    return render(dense_snapshot(request.param))[0]


def test_forty_competencies_and_a_hundred_evidence_rows_fit_on_two_pages(dense):
    assert len(PdfReader(BytesIO(dense)).pages) == 2


def test_page_one_lists_every_competency_and_page_two_every_evidence_row(dense):
    first, second = page_texts(dense)
    assert all(f"CBE-{number:02d}" in first for number in range(1, 41))
    # Each evidence row's source ends in "丝路先锋 <row>"; the awards and certificates name no team.
    assert (first.count("丝路先锋"), second.count("丝路先锋")) == (0, 100)


def test_english_draws_curly_quotes_proportional_and_chinese_full_width():
    # The CJK font's quotation marks are a full em wide; English text takes their proportional forms (about half).
    english, chinese = quote_width("en"), quote_width("zh-Hans")
    assert chinese == pytest.approx(6 * 12, abs=0.5)  # six full-width marks at 9 pt = 12 px each
    assert english < chinese * 0.6


def quote_width(language: str) -> float:
    """How wide WeasyPrint sets six curly quotation marks at 9 pt in the transcript stylesheet, in CSS px."""
    html = (
        f'<html lang="{language}"><head><link rel="stylesheet" href="/static/portfolios/css/transcript.css"></head>'
        '<body><p style="font-size: 9pt">“”“”“”</p></body></html>'
    )
    site = "https://kesai.example.edu.cn/"
    page = HTML(string=html, base_url=site, url_fetcher=ProjectFilesFetcher(base_url=site)).render().pages[0]
    boxes = [page._page_box]
    while boxes:
        box = boxes.pop()
        if getattr(box, "text", None) == "“”“”“”":
            return box.width
        boxes.extend(getattr(box, "children", ()))
    raise AssertionError("the quotation marks were not laid out")


def test_the_pdf_runs_no_javascript(chinese):
    assert b"/JavaScript" not in chinese[0]
    assert b"/JS" not in chinese[0]


# --- The print HTML (faster than a PDF, for what the markup says) ----------------------------------------------


def html_for(snapshot: dict, **kwargs) -> str:
    return transcript_html(snapshot=snapshot, verification_url=VERIFICATION_URL, verification_code=CODE, **kwargs)


def radar_svg(html: str) -> ET.Element:
    """The radar chart the transcript shows as an image (a base64 SVG data: URI)."""
    source = re.search(r'<img class="radar" src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    return ET.fromstring(b64decode(source))  # noqa: S314 - the chart this test just drew


def sheet_cells(html: str) -> list[str]:
    """Every sheet cell's text (header span left out), in order: a column's rows one per line, parts tab-apart."""
    return [
        unescape(text)
        for text in re.findall(r'<td class="sheet__cell[^"]*"[^>]*><span[^>]*>.*?</span>\n(.*?)</td>', html, re.S)
    ]


def grid_svgs(html: str) -> list[ET.Element]:
    """The rules and bars of every sheet (each sheet's background: a base64 SVG data: URI)."""
    return [
        ET.fromstring(b64decode(source))  # noqa: S314 - drawn by this test's render
        for source in re.findall(r"background-image: url\(data:image/svg\+xml;base64,([^)]+)\)", html)
    ]


def test_radar_chart_has_one_axis_per_competency():
    assert radar_svg(html_for(sample_snapshot(competencies=4))).get("data-axes") == "4"


def test_radar_chart_names_the_transcript_font_and_draws_labels_regular():
    # One font in one weight in the whole PDF: WeasyPrint's page stylesheet never reaches the chart, so it says so.
    svg = radar_svg(html_for(sample_snapshot(competencies=12)))
    assert svg.get("font-family") == "Noto Sans CJK SC"
    assert [element.tag for element in svg.iter() if element.get("font-weight")] == []


def test_a_crowded_radar_labels_its_axes_with_the_codes_after_their_shared_prefix():
    html = html_for(sample_snapshot(language="en", competencies=25))
    labels = [text.text for text in radar_svg(html).iter(f"{SVG}text") if text.text and text.text.isdigit()]
    # 25 axes (past 20): the short labels alone, CBE-01 … CBE-25 drawn as 01 … 25; the scale's 1 … 4 are single
    # digits, the labels two.
    assert [label for label in labels if len(label) == 2] == [f"{number:02d}" for number in range(1, 26)]
    assert "Axes are labelled with the competency codes after CBE-." in html


@pytest.mark.parametrize("competencies", [3, 12, 40])
def test_radar_labels_print_at_seven_points_or_more(competencies):
    html = html_for(sample_snapshot(competencies=competencies))
    svg = radar_svg(html)
    printed_width = float(re.search(r'class="radar"[^>]*style="width: ([\d.]+)mm', html).group(1))
    view_width = float(svg.get("viewBox").split()[2])
    smallest_label = min(
        float(text.get("font-size"))
        for group in svg.iter(f"{SVG}g")
        if group.get("class") == "radar__label"
        for text in group.iter(f"{SVG}text")
    )
    # A label of s units is drawn s × (printed mm / view-box units) mm tall, and 1 pt = 25.4 / 72 mm.
    assert smallest_label * printed_width / view_width / (25.4 / 72) >= 7 - 0.01


def test_attainment_bar_fills_to_the_figure_and_marks_mastery():
    html = html_for(sample_snapshot(competencies=1), branding={"primary_colour": "#a31f34"})
    grid = grid_svgs(html)[0]  # the competencies; then the evidence, the awards
    paths = {(path.get("fill"), path.get("stroke")): path.get("d") for path in grid}
    track = re.match(r"M([\d.]+) ([\d.]+)h10v1.9", paths[("#ffffff", "#444444")])
    left, top = float(track.group(1)), float(track.group(2))
    # CBE-01 in sample_snapshot: 1.75 of 4 on the 10 mm bar → filled 4.375 mm (written 4.38) from its left end;
    # mastery 3 of 4 → the tick 7.5 mm along it.
    assert paths[("#a31f34", None)] == f"M{track.group(1)} {track.group(2)}h4.38v1.9h-4.38Z"
    tick = re.match(r"M([\d.]+) ([\d.]+)v", paths[("none", "#000000")])
    assert float(tick.group(1)) == pytest.approx(left + 7.5, abs=0.01)
    assert float(tick.group(2)) < top


def test_attainment_figure_and_level_are_written_beside_the_bar():
    cells = sheet_cells(html_for(sample_snapshot(language="en", competencies=3)))
    # Columns: code and name, bar (no text), figure, level and demand. CBE-03: 1 + 3 × 0.75 = 3.25, Exemplary,
    # mastered (3 % 4 = 3 ≥ 3), demand 40 + 21 % 60 = 61.
    assert cells[0].split("\n")[2] == "CBE-03\tПлатформа операций"
    assert cells[2].split("\n")[2] == "● 3.25"
    assert cells[3].split("\n")[2] == "Exemplary\t61"


def test_demand_weight_is_written_out_of_100_beside_the_level():
    cells = sheet_cells(html_for(sample_snapshot(competencies=1)))
    # CBE-01: demand weight 40 + (1 × 7) % 60 = 47; level Developing.
    assert cells[3] == "Developing\t47"


def test_evidence_behind_two_competencies_is_listed_once_with_both_codes():
    snapshot = sample_snapshot(competencies=2, evidence_per_competency=1)
    snapshot["competencies"][1]["evidence"] = snapshot["competencies"][0]["evidence"]
    html = html_for(snapshot)
    assert html.count("虾皮杯初赛 · 商品上架 · 丝路先锋 0") == 1
    # The evidence sheet's second column: code, score and recorder, a further code on the next line.
    assert "CBE-01\t3\t陈静\nCBE-02" in sheet_cells(html)


def test_student_text_in_the_tables_is_escaped():
    snapshot = sample_snapshot(competencies=1, evidence_per_competency=1)
    snapshot["competencies"][0]["name"] = "<b>Bold</b> & co"
    html = html_for(snapshot)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<b>" not in html


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


# --- Wording and the page number's room ------------------------------------------------------------------------

LONG_FOOTER = (
    "Academic Affairs Office, Horgos Business School · Horgos, Xinjiang, China · registrar@hbs.example.edu.cn · "
    "To check that this transcript is genuine, scan the QR code on its first page or open the verification "
    "address on its last page."
)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Page {n} of {total}"), ("zh-hans", "第 {n} 页，共 {total} 页")]
)
def test_the_page_number_stays_on_one_line_beside_a_long_footer(language, words):
    pdf, _warnings = render(sample_snapshot(language=language), branding={"footer": LONG_FOOTER})
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert words.format(n=number, total=len(texts)) in text


def test_the_verification_section_does_not_ask_for_the_code_its_address_already_holds(english):
    last_page = " ".join(page_texts(english[0])[-1].split())
    assert "enter the verification code" not in last_page
    assert "Scan the QR code or open the address below" in last_page
