"""The transcript as a printable, archivable PDF: A4, PDF/A-3b, with the signed credential attached.

Everything comes from the frozen snapshot (``portfolios.transcripts.snapshot.build_snapshot``) and the values
passed in; rendering reads no database row and writes nothing, so a worker can render any transcript again
and get the same pages. WeasyPrint reads files only through :class:`ProjectFilesFetcher` (our static and
public media files and ``data:`` URIs).

Print first: text is black, the school's colour only marks headings, rules and bar fills, and every figure is
written out beside its bar or on its chart, so a black-and-white copy loses nothing.
"""

from base64 import b64encode
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment

from portfolios.transcripts.fetcher import ProjectFilesFetcher
from themes.charts import RadarAxis, format_number, radar_chart
from themes.models import BrandingSettings
from themes.templatetags.themes_tags import brand_colour, ink_on, readable_on_white

TEMPLATE = "portfolios/transcripts/pdf/transcript.html"
CREDENTIAL_FILENAME = "credential.jwt"
CREDENTIAL_MEDIA_TYPE = "application/vc+jwt"
PDF_VARIANT = "pdf/a-3b"
#: The font of the SVG charts' text: the stylesheet's first family and its one weight (transcript.css).
SVG_FONT_FAMILY = "Noto Sans CJK SC"
SVG_TEXT_STYLE = "text, tspan { font-weight: 400; }"
#: ISO 32000-2 §7.11.3: the attached credential is another representation of what the pages show.
CREDENTIAL_RELATIONSHIP = "Alternative"


def _decimal(value: str | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _percent(value: Decimal | None, maximum: Decimal | None) -> str:
    """How far along a bar ``value`` of ``maximum`` reaches, as a CSS percentage ("62.5")."""
    if value is None or not maximum or maximum <= 0:
        return "0"
    ratio = min(max(value / maximum, Decimal(0)), Decimal(1))
    return format_number(ratio * 100)


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


def _figure_text(value: Decimal | None, maximum: Decimal) -> str:
    if value is None:
        return _("Not yet attained")
    return f"{format_number(value)} / {format_number(maximum)}"


def _competencies(snapshot: dict, scale_maximum: Decimal) -> list[dict]:
    rows = []
    for competency in snapshot["competencies"]:
        value = _decimal(competency["value"])
        maximum = _decimal(competency["max_points"]) or scale_maximum
        mastery = _decimal(competency["mastery_points"])
        weight = int(competency["demand_weight"] or 0)
        rows.append(
            {
                "code": competency["code"],
                "name": competency["name"],
                "value": value,
                "maximum": maximum,
                "mastery": mastery,
                "figure": _figure_text(value, maximum),
                "level": competency["level"] or "",
                "mastered": bool(competency["mastered"]),
                "value_percent": _percent(value, maximum),
                "mastery_percent": _percent(mastery, maximum) if mastery is not None else None,
                "demand_weight": weight,
                "demand_percent": _percent(Decimal(weight), Decimal(100)),
            }
        )
    return rows


def _radar(rows: list[dict], mastery_points: str) -> SafeString:
    """The radar chart, its text in the transcript's one font and weight.

    WeasyPrint styles inline SVG only from the SVG itself (the page's stylesheet does not reach it), so the font
    family goes on the <svg> element and a <style> inside it turns the labels' weight 600 to regular: without
    them the labels fall back to fontconfig's sans-serif (DejaVu, with Japanese glyph forms for Chinese) and the
    bold face, and every PDF subsets three more fonts (each Noto CJK subset costs ~30 ms and ~150 KB).
    """
    axes = [
        RadarAxis(
            label=f"{row['code']} {row['name']}",
            value=row["value"],
            maximum=row["maximum"],
            reference=row["mastery"],
            value_text=row["figure"],
            short_label=row["code"],
        )
        for row in rows
    ]
    chart = radar_chart(
        axes,
        title=_("Competency radar"),
        description=_("Attainment of each competency against the mastery level."),
        id_prefix="transcript-radar",
        value_label=_("Attainment"),
        reference_label=_("Mastery level (%(points)s)") % {"points": mastery_points} if mastery_points else "",
        missing_text=_("Not yet attained"),
    )
    if not chart.startswith("<svg "):
        return chart
    # The chart is format_html's output, every label already escaped, and its opening tag holds no ">" inside
    # (numbers and fixed words only); only constants are added.
    end_of_tag = chart.index(">") + 1
    return mark_safe(  # noqa: S308
        f'<svg font-family="{SVG_FONT_FAMILY}" {chart[len("<svg ") : end_of_tag]}'
        f"<style>{SVG_TEXT_STYLE}</style>{chart[end_of_tag:]}"
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
    return {
        "lang": bcp47(snapshot["language"]),
        "title": _("Competency transcript: %(student)s") % {"student": student["name"]},
        "issuer": snapshot["issuer"],
        "student": student,
        "programme": snapshot["programme"],
        "framework": snapshot["framework"],
        "issued_on": issued_on,
        "scale_maximum": format_number(scale_maximum),
        "mastery_level": mastery_level,
        "mastery_points": mastery_points,
        "competencies": competencies,
        "mastered_count": sum(1 for row in competencies if row["mastered"]),
        "radar": _radar(competencies, mastery_points),
        "evidence": _evidence(snapshot),
        "awards": _dated(snapshot.get("awards") or [], "done_on"),
        "certificates": _dated(snapshot.get("certificates") or [], "done_on", "verified_on"),
        "verification_url": verification_url,
        "verification_code": verification_code,
        "qr_code": _qr_code(verification_url),
        "credential_filename": CREDENTIAL_FILENAME,
        "brand": {"colour": colour, "ink": ink_on(colour), "text": readable_on_white(colour)},
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
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[attachment])
