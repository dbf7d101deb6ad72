"""The frozen content of a transcript: what the student had attained, and the evidence behind it, at issue.

The snapshot is plain JSON (strings for decimals and dates) so that it can be stored, signed, rendered and
compared years later without the rows it came from. ``SNAPSHOT_SCHEMA`` changes if its shape does.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from courses.models import Cohort, EvidenceRecord, EvidenceSourceKind
from courses.selectors import attainment_for_student
from portfolios.models import Artefact, ArtefactKind, ReviewVerdict
from themes.models import BrandingSettings
from themes.templatetags.themes_tags import person_name

SNAPSHOT_SCHEMA = 1


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def build_snapshot(*, student: AbstractBaseUser, language: str, issued_on: date, site_url: str) -> dict:
    """Everything a transcript shows, read now. Raises ``LookupError`` if the student has no programme."""
    cohort = (
        Cohort.objects.filter(enrolments__student=student)
        .select_related("programme__framework__scale")
        .order_by("-entry_year", "pk")
        .first()
    )
    if cohort is None:
        raise LookupError("The student is not enrolled in a programme.")
    programme = cohort.programme
    framework = programme.framework
    enrolment = cohort.enrolments.filter(student=student).first()
    figures = attainment_for_student(student=student, framework=framework, explain=True)
    evidence_ids = {row.evidence_id for figure in figures for row in figure.evidence}
    recorders = {
        row.pk: person_name(row.recorded_by)
        for row in EvidenceRecord.objects.filter(pk__in=evidence_ids).select_related("recorded_by")
    }
    branding = BrandingSettings.objects.order_by("pk").first()
    levels = framework.scale.levels_by_points
    with translation.override(language):
        method_label = str(framework.get_calculation_method_display())
        source_labels = {value: str(label) for value, label in EvidenceSourceKind.choices}
        school = branding.localised_school_name(language) if branding else ""
    return {
        "schema": SNAPSHOT_SCHEMA,
        "language": language,
        "issued_on": issued_on.isoformat(),
        "issuer": {"name": school, "url": site_url},
        "student": {
            "name": person_name(student),
            "username": student.get_username(),
            "student_number": enrolment.student_number if enrolment else "",
        },
        "programme": {"name": programme.name, "code": programme.code, "cohort": cohort.name},
        "framework": {
            "id": framework.pk,
            "name": framework.name,
            "method": framework.calculation_method,
            "method_label": method_label,
            "parameter": _decimal(framework.method_parameter),
            "scale": {
                "name": framework.scale.name,
                "levels": [
                    {"id": level.pk, "name": level.name, "points": _decimal(level.points), "mastery": level.is_mastery}
                    for level in levels
                ],
            },
        },
        "competencies": [
            {
                "id": figure.competency.pk,
                "code": figure.competency.code,
                "name": figure.competency.name,
                "description": figure.competency.description,
                "demand_weight": figure.competency.demand_weight,
                "value": _decimal(figure.value),
                "level": figure.level.name if figure.level else None,
                "level_id": figure.level.pk if figure.level else None,
                "mastery_points": _decimal(figure.mastery_points),
                "max_points": _decimal(figure.max_points),
                "mastered": figure.is_mastered,
                "evidence": [
                    {
                        "id": row.evidence_id,
                        "done_on": row.done_on.isoformat(),
                        "source": row.source_title,
                        "source_kind": row.source_kind,
                        "source_kind_label": source_labels.get(row.source_kind, row.source_kind),
                        "url": row.source_url,
                        "score": _decimal(row.score),
                        "weight": _decimal(row.weight),
                        "recorded_by": recorders.get(row.evidence_id, ""),
                    }
                    for row in figure.evidence
                ],
            }
            for figure in figures
        ],
        "awards": _awards(student),
        "certificates": _certificates(student),
    }


def _awards(student: AbstractBaseUser) -> list[dict]:
    """Competition awards, from the ledger (competitions write them there; portfolios never import them)."""
    seen: dict[str, dict] = {}
    rows = (
        EvidenceRecord.objects.active()
        .filter(student=student, source_kind=EvidenceSourceKind.COMPETITION_AWARD)
        .order_by("-done_on", "source_title")
        .values("source_key", "source_title", "source_url", "done_on")
    )
    for row in rows:
        seen.setdefault(
            row["source_key"] or row["source_title"],
            {"title": row["source_title"], "url": row["source_url"], "done_on": row["done_on"].isoformat()},
        )
    return list(seen.values())


def _certificates(student: AbstractBaseUser) -> list[dict]:
    """Skill certificates a reviewer signed off as meeting the claim, with the version they signed off."""
    certificates = []
    artefacts = (
        Artefact.objects.filter(
            portfolio__student=student,
            kind=ArtefactKind.CERTIFICATE,
            withdrawn_at__isnull=True,
            reviews__isnull=False,
        )
        .prefetch_related("reviews__version", "reviews__reviewer")
        .distinct()
        .order_by("pk")
    )
    for artefact in artefacts:
        review = max(artefact.reviews.all(), key=lambda r: r.reviewed_at)
        if review.verdict != ReviewVerdict.MEETS:
            continue
        version = review.version
        certificates.append(
            {
                "title": version.title,
                "issuer": version.issuer,
                "number": version.certificate_number,
                "done_on": version.done_on.isoformat(),
                "verified_by": person_name(review.reviewer),
                "verified_on": review.reviewed_at.date().isoformat(),
            }
        )
    return certificates
