"""The transcript as a printable, archivable PDF: A4, PDF/A-3b, with the signed credential attached.

Everything comes from the frozen snapshot (``portfolios.transcripts.snapshot.build_snapshot``) and the values
passed in; rendering reads no database row and writes nothing, so a worker can render any transcript again
and get the same pages. WeasyPrint reads files only through :class:`ProjectFilesFetcher` (our static and
public media files and ``data:`` URIs).

Print first: text is black, the school's colour only marks headings, rules and bar fills, and every figure is
written out beside its bar or on its chart, so a black-and-white copy loses nothing.

Dense by design: page 1 is the student, the radar chart and every competency (two runs of rows side by side
when there are many), page 2 the evidence (two runs when there are many), the awards and certificates and how
to verify; 40 competencies and 100 evidence rows fit on those two pages. The tables are laid out here rather
than by WeasyPrint (``portfolios.transcripts.pdf_tables``: a few boxes instead of one per cell), which is what
keeps such a transcript under the 0.5 s budget; the heights below are the stylesheet's, so Python knows how
many rows fit on a page.
"""

import re
from base64 import b64encode
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from portfolios.transcripts.fetcher import ProjectFilesFetcher
from portfolios.transcripts.pdf_tables import (
    MM_PER_PT,
    Bar,
    Column,
    Lines,
    Sheet,
    TextStyle,
    ruled_sheets,
    text_width,
    wrap,
)
from themes import charts
from themes.charts import RadarAxis, format_number, radar_chart
from themes.models import BrandingSettings
from themes.templatetags.themes_tags import brand_colour, ink_on, readable_on_white

TEMPLATE = "portfolios/transcripts/pdf/transcript.html"
CREDENTIAL_FILENAME = "credential.jwt"
CREDENTIAL_MEDIA_TYPE = "application/vc+jwt"
PDF_VARIANT = "pdf/a-3b"
#: The stylesheet's one font, which the radar chart (an image, out of the stylesheet's reach) names itself.
FONT_FAMILY = "Noto Sans CJK SC"
#: ISO 32000-2 §7.11.3: the attached credential is another representation of what the pages show.
CREDENTIAL_RELATIONSHIP = "Alternative"

# --- The page, as transcript.css draws it (millimetres) ------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 12.0, 11.0, 16.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CONTENT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
MASTHEAD_HEIGHT = 25.8  # .masthead: 20 mm high, 2 mm padding, a 0.8 mm rule, 3 mm below
STUDENT_NAME_SIZE, STUDENT_NAME_LINE, STUDENT_NAME_BELOW = 15.0, 7.0, 1.5  # .student-name
BODY_FONT_SIZE, BODY_LINE = 8.5, 4.2  # .facts dd
LABEL_FONT_SIZE, LABEL_LINE = 7.0, 3.2  # .facts dt, .caption
FACT_GAP = 1.4  # below each .facts dd
OVERVIEW_GAP = 5.0  # between the radar and the facts
OVERVIEW_BELOW = 1.0
SECTION_HEAD = 11.5  # an h2: 3 mm above, a 5 mm line, 1 mm padding, its rule, 2 mm below
CAPTION_BELOW = 1.5
SHEET_BELOW = 2.0  # .sheet's margin
SAFETY = 3.0  # left free on every page for rounding
#: The radar's labels are drawn at least this size (points), which sets how wide the chart is.
RADAR_LABEL_SIZE = 7.0
RADAR_MAX_WIDTH = 128.0

COMPETENCY_TEXT = TextStyle(font_size=7.0, header_font_size=7.0, line_height=10.0)
EVIDENCE_TEXT = TextStyle(font_size=7.0, header_font_size=7.0, line_height=9.5)
#: Up to this many evidence rows the table is one run across the page, past it two.
SINGLE_RUN_EVIDENCE = 24
MASTERED_MARK = "●"


def _decimal(value: str | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _ratio(value: Decimal | None, maximum: Decimal | None) -> float:
    if value is None or not maximum or maximum <= 0:
        return 0.0
    return float(min(max(value / maximum, Decimal(0)), Decimal(1)))


def bcp47(language: str) -> str:
    """A Django language code as a BCP 47 tag for <html lang> and the PDF's /Lang: zh-hans → zh-Hans."""
    parts = language.replace("_", "-").split("-")
    tags = [parts[0].lower()]
    for part in parts[1:]:
        tags.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    return "-".join(tags)


@dataclass(frozen=True)
class PageNumberLabel:
    """The words around the two counters of "Page 1 of 2", for the page's margin box (CSS ``string-set``)."""

    before: str
    between: str
    after: str


def page_number_label() -> PageNumberLabel:
    """The active language's "Page %(number)s of %(total)s", cut around its two numbers.

    Languages that name the total first ("共 2 页，第 1 页") would need the counters swapped in the stylesheet;
    ours (English, Chinese) do not, and such a translation falls back to "1 / 2".
    """
    text = _("Page %(number)s of %(total)s") % {"number": "\x00", "total": "\x01"}
    if text.count("\x00") != 1 or text.count("\x01") != 1 or text.index("\x00") > text.index("\x01"):
        return PageNumberLabel("", " / ", "")
    before, rest = text.split("\x00")
    between, after = rest.split("\x01")
    return PageNumberLabel(before, between, after)


def _scale(snapshot: dict) -> tuple[Decimal, dict | None]:
    levels = snapshot["framework"]["scale"]["levels"]
    maximum = max((_decimal(level["points"]) or Decimal(0) for level in levels), default=Decimal(0))
    mastery = next((level for level in levels if level["mastery"]), None)
    return maximum, mastery


def _competencies(snapshot: dict, scale_maximum: Decimal) -> list[dict]:
    rows = []
    for competency in snapshot["competencies"]:
        value = _decimal(competency["value"])
        maximum = _decimal(competency["max_points"]) or scale_maximum
        mastery = _decimal(competency["mastery_points"])
        rows.append(
            {
                "code": competency["code"],
                "name": competency["name"],
                "value": value,
                "maximum": maximum,
                "mastery": mastery,
                "level": competency["level"] or "",
                "mastered": bool(competency["mastered"]),
                "demand_weight": int(competency["demand_weight"] or 0),
            }
        )
    return rows


def _short_codes(codes: list[str]) -> list[str]:
    """The codes without the prefix they all share up to a separator: CBE-01, CBE-02 → 01, 02.

    A crowded radar chart labels its axes with these: every letter of SVG text costs WeasyPrint a layout.
    """
    if len(codes) < 2:
        return codes
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    cut = max((prefix.rfind(separator) for separator in "-_. "), default=-1) + 1
    if cut == 0 or any(len(code) <= cut for code in codes):
        return codes
    return [code[cut:] for code in codes]


@dataclass(frozen=True)
class RadarImage:
    """The radar chart as an image: WeasyPrint parses an SVG image with a fast XML parser and keeps its
    hundreds of elements out of the page's style cascade, where an inline SVG would cost it ~60 ms more."""

    src: str
    width: float  # mm
    height: float  # mm
    prefix: str  # the codes' shared prefix the labels leave out, "" when they show whole codes


def _radar(rows: list[dict], mastery_points: str) -> RadarImage | None:
    codes = [row["code"] for row in rows]
    short = _short_codes(codes) if len(rows) > charts.NAMED_AXES else codes
    axes = [
        RadarAxis(
            label=f"{row['code']} {row['name']}",
            value=row["value"],
            maximum=row["maximum"],
            reference=row["mastery"],
            value_text=format_number(row["value"]) if row["value"] is not None else _("Not yet attained"),
            short_label=label,
        )
        for row, label in zip(rows, short, strict=True)
    ]
    chart = radar_chart(
        axes,
        title=_("Competency radar"),
        description=_("Attainment of each competency against the mastery level."),
        id_prefix="transcript-radar",
        value_label=_("Attainment"),
        reference_label=_("Mastery level (%(points)s)") % {"points": mastery_points} if mastery_points else "",
        missing_text=_("Not yet attained"),
        font_family=FONT_FAMILY,
        bold_labels=False,
    )
    if not chart:
        return None
    view_width, view_height = (float(n) for n in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart).groups())
    label_units = charts.FONT_SIZE if len(rows) <= charts.FIGURED_AXES else charts.SMALL_FONT_SIZE
    scale = min(RADAR_LABEL_SIZE * MM_PER_PT / label_units, RADAR_MAX_WIDTH / view_width)
    prefix = codes[0][: len(codes[0]) - len(short[0])] if short is not codes else ""
    return RadarImage(
        src="data:image/svg+xml;base64," + b64encode(str(chart).encode("utf-8")).decode("ascii"),
        width=round(view_width * scale, 2),
        height=round(view_height * scale, 2),
        prefix=prefix,
    )


def _evidence(snapshot: dict) -> list[dict]:
    """Every evidence row once, newest first, with the codes of the competencies it counts towards."""
    rows: dict[object, dict] = {}
    for competency in snapshot["competencies"]:
        for row in competency["evidence"]:
            key = row.get("id") or (row["source"], row["done_on"], row["score"])
            entry = rows.setdefault(
                key,
                {
                    "done_on": date.fromisoformat(row["done_on"]),
                    "source": row["source"],
                    "kind": row.get("source_kind_label") or row.get("source_kind") or "",
                    "recorded_by": row.get("recorded_by") or "",
                    "score": format_number(_decimal(row["score"]) or Decimal(0)),
                    "competencies": [],
                },
            )
            if competency["code"] not in entry["competencies"]:
                entry["competencies"].append(competency["code"])
    return sorted(rows.values(), key=lambda entry: (-entry["done_on"].toordinal(), entry["source"]))


def _dated(entries: list[dict], *fields: str) -> list[dict]:
    return [
        {**entry, **{field: date.fromisoformat(entry[field]) for field in fields if entry.get(field)}}
        for entry in entries
    ]


def _qr_code(url: str) -> str:
    """The verification URL as a QR code: an SVG ``data:`` URI, sharp at any print resolution."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000000", light="#ffffff")


def _lines(text: str, *, width: float, font_size: float) -> int:
    return len(wrap(text, width, font_size=font_size))


def _capacity(height: float, style: TextStyle) -> int:
    return max(int((height - SAFETY) / style.line), 4)


def _competency_sheets(rows: list[dict], *, page_one_height: float, colour: str) -> list[Sheet]:
    if not rows:
        return []
    # The level column is as wide as the longest level's name: "Not yet attained" wraps in it if need be.
    level_width = max((text_width(row["level"], font_size=COMPETENCY_TEXT.font_size) for row in rows), default=0)
    columns = [
        Column((_("Code"), _("Competency")), flexible=True, max_width=22),
        Column(_("Attainment"), bar=True),
        Column("", align="end"),
        Column((_("Level"), _("Industry demand")), max_width=max(min(level_width, 24.0), 10.0)),
    ]
    cells = [
        (
            (row["code"], row["name"]),
            Bar(
                _ratio(row["value"], row["maximum"]),
                _ratio(row["mastery"], row["maximum"]) if row["mastery"] is not None else None,
            ),
            (f"{MASTERED_MARK} " if row["mastered"] else "")
            + (format_number(row["value"]) if row["value"] is not None else "—"),
            (row["level"] if row["value"] is not None else _("Not yet attained"), str(row["demand_weight"])),
        )
        for row in rows
    ]
    first, later = _capacity(page_one_height, COMPETENCY_TEXT), _capacity(CONTENT_HEIGHT, COMPETENCY_TEXT)
    options = {"columns": columns, "rows": cells, "width": CONTENT_WIDTH, "style": COMPETENCY_TEXT}
    single = ruled_sheets(**options, runs=1, first_capacity=first, capacity=later, colour=colour)
    if len(single) == 1:
        return single
    return ruled_sheets(**options, runs=2, first_capacity=first, capacity=later, colour=colour)


def _evidence_sheets(rows: list[dict], *, first_height: float, colour: str) -> list[Sheet]:
    if not rows:
        return []
    # The recorder last: the parts before it share one tab stop, and codes and scores are alike narrow.
    columns = [
        Column((_("Date"), _("Source")), flexible=True),
        Column((_("Code"), _("Score"), _("Recorded by")), max_width=18),
    ]
    cells = [
        (
            (row["done_on"].isoformat(), row["source"]),
            (Lines(tuple(row["competencies"])), row["score"], row["recorded_by"] or "—"),
        )
        for row in rows
    ]
    return ruled_sheets(
        columns=columns,
        rows=cells,
        width=CONTENT_WIDTH,
        runs=1 if len(rows) <= SINGLE_RUN_EVIDENCE else 2,
        style=EVIDENCE_TEXT,
        first_capacity=_capacity(first_height, EVIDENCE_TEXT),
        capacity=_capacity(CONTENT_HEIGHT, EVIDENCE_TEXT),
        colour=colour,
    )


def _achievement_sheets(awards: list[dict], certificates: list[dict], *, colour: str) -> list[Sheet]:
    columns = [Column((_("Date"), _("Title")), flexible=True), Column(_("Details"), flexible=True)]
    cells = [((award["done_on"].isoformat(), award["title"]), _("Award")) for award in awards]
    for certificate in certificates:
        details = certificate["issuer"]
        if certificate.get("number"):
            details += f" · {_('Certificate number')} {certificate['number']}"
        verified_on = certificate.get("verified_on")
        details += "\n" + _("Verified by %(name)s on %(date)s") % {
            "name": certificate.get("verified_by") or "—",
            "date": verified_on.isoformat() if verified_on else "—",
        }
        cells.append(((certificate["done_on"].isoformat(), certificate["title"]), details))
    if not cells:
        return []
    capacity = _capacity(CONTENT_HEIGHT, EVIDENCE_TEXT)
    return ruled_sheets(
        columns=columns,
        rows=cells,
        width=CONTENT_WIDTH,
        runs=1,
        style=EVIDENCE_TEXT,
        first_capacity=capacity,
        capacity=capacity,
        colour=colour,
    )


def branding_from_settings(branding_settings: BrandingSettings | None) -> dict:
    """What :func:`render_transcript_pdf` needs from ``themes.models.BrandingSettings`` (reads, never writes).

    The logo is addressed under MEDIA_URL whatever the storage, so that the fetcher reads it from our storage.
    """
    if branding_settings is None:
        return {}
    logo = branding_settings.logo
    return {
        "primary_colour": branding_settings.primary_colour,
        "logo_url": urljoin(settings.MEDIA_URL, logo.file.name) if logo and logo.file else "",
        "footer": branding_settings.transcript_footer,
    }


def _facts(snapshot: dict, *, mastered: int, total: int) -> list[tuple[str, str]]:
    """The student's programme and the framework's terms, as (label, value), beside the radar chart."""
    student, programme, framework = snapshot["student"], snapshot["programme"], snapshot["framework"]
    levels = " / ".join(
        f"{level['name']} ({level['points']})" + (f" {MASTERED_MARK}" if level["mastery"] else "")
        for level in framework["scale"]["levels"]
    )
    facts = [
        (_("Student number"), student.get("student_number") or ""),
        (_("Programme"), programme["name"] + (f" ({programme['code']})" if programme.get("code") else "")),
        (_("Class"), programme.get("cohort") or ""),
        (_("Competency framework"), framework["name"]),
        (_("Calculation method"), framework["method_label"]),
        (_("Proficiency scale"), f"{framework['scale']['name']}: {levels}"),
        (_("Mastered"), _("%(mastered)s of %(total)s competencies") % {"mastered": mastered, "total": total}),
    ]
    return [(label, value) for label, value in facts if value]


def _overview_height(*, student: str, facts: list[tuple[str, str]], notes: list[str], width: float) -> float:
    """How tall the column beside the radar chart is drawn (transcript.css), from how its texts wrap."""
    height = _lines(student, width=width, font_size=STUDENT_NAME_SIZE) * STUDENT_NAME_LINE + STUDENT_NAME_BELOW
    for _label, value in facts:
        height += LABEL_LINE + _lines(value, width=width, font_size=BODY_FONT_SIZE) * BODY_LINE + FACT_GAP
    for note in notes:
        height += _lines(note, width=width, font_size=LABEL_FONT_SIZE) * LABEL_LINE + CAPTION_BELOW
    return height


def transcript_context(
    *, snapshot: dict, verification_url: str, verification_code: str, branding: dict | None = None
) -> dict:
    """The template's context; call it with the snapshot's language active (its labels are translated)."""
    branding = branding or {}
    colour = brand_colour(branding.get("primary_colour"))
    scale_maximum, mastery_level = _scale(snapshot)
    competencies = _competencies(snapshot, scale_maximum)
    mastery_points = format_number(_decimal(mastery_level["points"]) or Decimal(0)) if mastery_level else ""
    issued_on = date.fromisoformat(snapshot["issued_on"])
    student = snapshot["student"]
    mastered_count = sum(1 for row in competencies if row["mastered"])
    radar = _radar(competencies, mastery_points)
    facts = _facts(snapshot, mastered=mastered_count, total=len(competencies))
    facts_width = CONTENT_WIDTH - (radar.width + OVERVIEW_GAP if radar else 0)
    notes = []
    if radar:
        notes.append(
            _("The shaded shape is the attainment on each competency, the dashed line the mastery level.")
            + (
                " " + _("Axes are labelled with the competency codes after %(prefix)s.") % {"prefix": radar.prefix}
                if radar.prefix
                else ""
            )
        )
    if competencies:
        notes.append(
            _(
                "Attainment is on a scale of 0 to %(top)s, calculated with the “%(method)s” method. The tick on "
                "each bar marks the mastery level (%(mastery)s), and %(mark)s a mastered competency. Industry "
                "demand is the weight employers give a competency, out of 100."
            )
            % {
                "top": format_number(scale_maximum),
                "method": snapshot["framework"]["method_label"],
                "mastery": mastery_points or "—",
                "mark": MASTERED_MARK,
            }
        )
    overview_height = max(
        radar.height if radar else 0.0,
        _overview_height(student=student["name"], facts=facts, notes=notes, width=facts_width),
    )
    page_one_height = CONTENT_HEIGHT - MASTHEAD_HEIGHT - overview_height - OVERVIEW_BELOW - SECTION_HEAD
    competency_sheets = _competency_sheets(competencies, page_one_height=page_one_height, colour=colour)
    evidence = _evidence(snapshot)
    evidence_caption = _("Newest first; each row counts towards the competencies whose codes it gives.")
    evidence_head = (
        SECTION_HEAD
        + _lines(evidence_caption, width=CONTENT_WIDTH, font_size=LABEL_FONT_SIZE) * LABEL_LINE
        + CAPTION_BELOW
    )
    # The evidence starts page 2, unless the competencies ran on to a page of their own (every sheet after the
    # first starts a page) and left enough of it for a good part of the evidence.
    evidence_new_page, evidence_first_height = True, CONTENT_HEIGHT - evidence_head
    if len(competency_sheets) > 1:
        left = CONTENT_HEIGHT - competency_sheets[-1].height - SHEET_BELOW - evidence_head
        if left >= CONTENT_HEIGHT / 3:
            evidence_new_page, evidence_first_height = False, left
    awards = _dated(snapshot.get("awards") or [], "done_on")
    certificates = _dated(snapshot.get("certificates") or [], "done_on", "verified_on")
    return {
        "lang": bcp47(snapshot["language"]),
        "title": _("Competency transcript: %(student)s") % {"student": student["name"]},
        "issuer": snapshot["issuer"],
        "student": student,
        "programme": snapshot["programme"],
        "framework": snapshot["framework"],
        "issued_on": issued_on,
        "issued_on_text": formats.date_format(issued_on, "DATE_FORMAT"),
        "facts": facts,
        "facts_width": round(facts_width, 2),
        "notes": notes,
        "radar": radar,
        "competencies": competencies,
        "competency_sheets": competency_sheets,
        "evidence": evidence,
        "evidence_new_page": evidence_new_page,
        "evidence_caption": evidence_caption,
        "evidence_sheets": _evidence_sheets(evidence, first_height=evidence_first_height, colour=colour),
        "achievement_sheets": _achievement_sheets(awards, certificates, colour=colour),
        "verification_url": verification_url,
        "verification_code": verification_code,
        "qr_code": _qr_code(verification_url),
        "credential_filename": CREDENTIAL_FILENAME,
        "brand": {"colour": colour, "ink": ink_on(colour), "text": readable_on_white(colour)},
        "page_margin": f"{MARGIN_TOP:g}mm {MARGIN_SIDE:g}mm {MARGIN_BOTTOM:g}mm",
        "logo_url": branding.get("logo_url") or "",
        "footer": branding.get("footer") or "",
        "page_label": page_number_label(),
    }


def transcript_html(
    *, snapshot: dict, verification_url: str, verification_code: str, branding: dict | None = None
) -> str:
    """The transcript as print HTML, in the snapshot's language (also what the benchmark gives chromium)."""
    with translation.override(snapshot["language"]):
        context = transcript_context(
            snapshot=snapshot,
            verification_url=verification_url,
            verification_code=verification_code,
            branding=branding,
        )
        return render_to_string(TEMPLATE, context)


def credential_attachment(*, credential_jwt: str, issued_on: date, fetcher: ProjectFilesFetcher) -> Attachment:
    """The signed credential as the PDF's associated file: ``credential.jwt``, ``application/vc+jwt``.

    A ``data:`` URI carries the media type through WeasyPrint into the embedded file's /Subtype.
    """
    moment = datetime.combine(issued_on, time())
    return Attachment(
        url=f"data:{CREDENTIAL_MEDIA_TYPE};base64,{b64encode(credential_jwt.encode()).decode('ascii')}",
        url_fetcher=fetcher,
        name=CREDENTIAL_FILENAME,
        description="Signed CLR 2.0 / Open Badges 3.0 credential (VC-JWT, EdDSA)",
        created=moment,
        modified=moment,
        relationship=CREDENTIAL_RELATIONSHIP,
    )


def render_transcript_pdf(
    *,
    snapshot: dict,
    verification_url: str,
    verification_code: str,
    credential_jwt: str,
    branding: dict | None = None,
    base_url: str,
) -> bytes:
    """The transcript's PDF/A-3b bytes, with ``credential_jwt`` attached as ``credential.jwt``.

    ``branding`` is :func:`branding_from_settings`' dict (colour, logo, footer) or None for the defaults;
    ``base_url`` is the site's URL: relative links and the static and media URLs resolve against it.
    """
    html = transcript_html(
        snapshot=snapshot,
        verification_url=verification_url,
        verification_code=verification_code,
        branding=branding,
    )
    fetcher = ProjectFilesFetcher(base_url=base_url)
    attachment = credential_attachment(
        credential_jwt=credential_jwt, issued_on=date.fromisoformat(snapshot["issued_on"]), fetcher=fetcher
    )
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(
        pdf_variant=PDF_VARIANT, attachments=[attachment], font_config=_fonts(), cache=_image_cache()
    )


# --- Kept between transcripts ----------------------------------------------------------------------------------
# A class's transcripts are rendered one after another by the same few worker processes: fonts are looked up once
# per process instead of once per transcript, and decoded images (the logo, static files) are reused.
_FONTS: FontConfiguration | None = None
_IMAGE_CACHE: dict = {}
_IMAGE_CACHE_LIMIT = 64  # entries; a transcript uses two or three images


def _fonts() -> FontConfiguration:
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


def _image_cache() -> dict:
    if len(_IMAGE_CACHE) > _IMAGE_CACHE_LIMIT:
        _IMAGE_CACHE.clear()
    return _IMAGE_CACHE
