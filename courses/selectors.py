"""Reads: course catalogues, outcomes, evidence and attainment. No side effects."""

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Prefetch, QuerySet, Sum
from wagtail.models import Page

from courses.attainment import Attainment, FrameworkContext, compute_attainment, contributing_evidence
from courses.models import (
    Cohort,
    Competency,
    CompetencyFramework,
    CourseIndexPage,
    CourseOutcome,
    CoursePage,
    CourseTeacher,
    EvidenceQuerySet,
    EvidenceRecord,
    OutcomeAlignment,
    Track,
)


@dataclass(frozen=True)
class TrackCourses:
    track: Track | None
    courses: list[CoursePage]


@dataclass(frozen=True)
class Catalogue:
    index: CourseIndexPage
    tracks: list[TrackCourses]


def course_catalogue(*, index_page: CourseIndexPage) -> list[TrackCourses]:
    """Live courses under an index page, grouped by track in the programme's track order."""
    courses = (
        CoursePage.objects.live()
        .public()
        .child_of(index_page)
        .select_related("track")
        .order_by(F("track__sort_order").asc(nulls_last=True), F("track_id").asc(nulls_last=True), "code")
    )
    return [TrackCourses(track, list(group)) for track, group in groupby(courses, key=lambda course: course.track)]


def published_catalogues(*, under: Page) -> list[Catalogue]:
    indexes = CourseIndexPage.objects.live().public().descendant_of(under).select_related("programme")
    return [Catalogue(index, course_catalogue(index_page=index)) for index in indexes]


def outcomes_with_competencies(*, course: CoursePage) -> QuerySet[CourseOutcome]:
    return CourseOutcome.objects.filter(course=course).prefetch_related(
        Prefetch("alignments", OutcomeAlignment.objects.select_related("competency").order_by("sort_order"))
    )


def competencies_built_by(*, course: CoursePage) -> QuerySet[Competency]:
    """Competencies a course's outcomes are aligned to, with the summed alignment weight."""
    return (
        Competency.objects.filter(outcome_alignments__outcome__course=course)
        .annotate(total_weight=Sum("outcome_alignments__weight"), outcome_count=Count("outcome_alignments"))
        .order_by("-total_weight", "code")
    )


def course_teachers(*, course: CoursePage) -> QuerySet[CourseTeacher]:
    return CourseTeacher.objects.filter(course=course).select_related("user").order_by("sort_order")


def active_evidence(*, student: AbstractBaseUser) -> EvidenceQuerySet:
    return (
        EvidenceRecord.objects.active()
        .filter(student=student)
        .select_related("outcome__course", "competency", "level", "recorded_by")
        .order_by("-done_on", "-id")
    )


def evidence_history(*, record: EvidenceRecord) -> list[EvidenceRecord]:
    """A row and every row before it in its chain of corrections, newest first."""
    chain = [record]
    while chain[-1].supersedes_id is not None:
        chain.append(EvidenceRecord.objects.select_related("recorded_by").get(pk=chain[-1].supersedes_id))
    return chain


def framework_for_student(*, student: AbstractBaseUser) -> CompetencyFramework | None:
    cohort = Cohort.objects.filter(enrolments__student=student).select_related("programme__framework").first()
    return cohort.programme.framework if cohort else None


def attainment_for_student(
    *, student: AbstractBaseUser, framework: CompetencyFramework | None = None, explain: bool = False
) -> list[Attainment]:
    """Every competency of the framework, attained or not, in framework order.

    With ``explain`` each figure carries the ledger rows that produced it (one more query).
    """
    context = FrameworkContext(framework)
    computed = compute_attainment(student_ids=[student.pk], context=context).get(student.pk, {})
    explained = contributing_evidence(student_id=student.pk) if explain else {}
    figures = []
    for competency in context.competencies:
        figure = computed.get(competency.pk) or context.attainment(student.pk, competency, None, 0)
        figure.evidence = explained.get(competency.pk, [])
        figures.append(figure)
    return figures


def attainment_for_cohort(*, cohort: Cohort) -> dict[int, dict[int, Attainment]]:
    """Attainment of every student enrolled in a cohort: {student id: {competency id: Attainment}}."""
    return compute_attainment(cohort_id=cohort.pk, framework=cohort.programme.framework)
