"""Reads: course catalogues, outcomes, evidence and attainment. No side effects."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from itertools import groupby
from operator import or_

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.functional import cached_property
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
    Enrolment,
    EvidenceQuerySet,
    EvidenceRecord,
    OutcomeAlignment,
    ProficiencyLevel,
    Programme,
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


# --- A programme's curriculum, for the alignment and demand reports ------------------------------------------------


def programme_courses(*, programme: Programme) -> list[CoursePage]:
    """Live courses under the programme's course index pages, by track (in the programme's order), then code."""
    prefixes = [
        Q(path__startswith=path)
        for path in CourseIndexPage.objects.filter(programme=programme).values_list("path", flat=True)
    ]
    if not prefixes:
        return []
    return list(
        CoursePage.objects.live()
        .filter(reduce(or_, prefixes))
        .select_related("track")
        .order_by(F("track__sort_order").asc(nulls_last=True), F("track_id").asc(nulls_last=True), "code")
    )


def programme_outcomes(*, courses: list[CoursePage]) -> list[CourseOutcome]:
    """The outcomes of ``courses`` in course order, each with its course (and track) attached, no extra query."""
    by_id = {course.pk: course for course in courses}
    outcomes = list(CourseOutcome.objects.filter(course_id__in=by_id).order_by("course_id", "sort_order", "pk"))
    order = {course.pk: position for position, course in enumerate(courses)}
    for outcome in outcomes:
        outcome.course = by_id[outcome.course_id]
    return sorted(outcomes, key=lambda outcome: order[outcome.course_id])


def courses_building(*, courses: list[CoursePage]) -> dict[int, list[CoursePage]]:
    """{competency id: the courses (of ``courses``) whose outcomes are aligned to it}, in course order."""
    by_id = {course.pk: course for course in courses}
    building: dict[int, list[CoursePage]] = defaultdict(list)
    pairs = (
        OutcomeAlignment.objects.filter(outcome__course_id__in=by_id)
        .order_by()  # the model's ordering (sort_order) would be selected too and defeat DISTINCT
        .values_list("competency_id", "outcome__course_id")
        .distinct()
    )
    order = {course.pk: position for position, course in enumerate(courses)}
    for competency_id, course_id in sorted(pairs, key=lambda pair: order[pair[1]]):
        building[competency_id].append(by_id[course_id])
    return dict(building)


def framework_competencies(*, framework: CompetencyFramework) -> list[Competency]:
    return list(Competency.objects.filter(framework=framework).order_by("sort_order", "code"))


# --- A class's attainment, for the class reports -----------------------------------------------------------------


@dataclass
class CompetencyDistribution:
    """How a class stands on one competency. ``counts[0]`` is "not yet attained", then one per level, lowest first.

    ``mean`` is over every student of the class, a student who has not attained the competency counting as 0:
    the class report asks what the class as a whole can do.
    """

    competency: Competency
    counts: list[int]
    students: int
    mastered: int
    mean: Decimal | None

    @property
    def attained(self) -> int:
        return self.students - self.counts[0]

    @property
    def mastery_share(self) -> Decimal:
        """The share of the class at or above mastery, 0 to 1."""
        return Decimal(self.mastered) / self.students if self.students else Decimal(0)


@dataclass
class ClassAttainment:
    cohort: Cohort
    framework: CompetencyFramework
    competencies: list[Competency]
    levels: list[ProficiencyLevel]  # lowest first
    mastery_points: Decimal
    max_points: Decimal
    enrolments: list[Enrolment]  # by student number, each with its student
    figures: dict[int, dict[int, Attainment]]
    as_of: date | None = None
    distributions: list[CompetencyDistribution] = field(default_factory=list)

    def level_index(self, student_id: int, competency_id: int) -> int | None:
        """The position of the student's level in ``levels``, or None when not yet attained."""
        figure = self.figures.get(student_id, {}).get(competency_id)
        if figure is None or figure.level is None:
            return None
        return self._level_positions[figure.level.pk]

    @cached_property
    def _level_positions(self) -> dict[int, int]:
        return {level.pk: index for index, level in enumerate(self.levels)}

    def value(self, student_id: int, competency_id: int) -> Decimal | None:
        figure = self.figures.get(student_id, {}).get(competency_id)
        return figure.value if figure else None


def class_attainment(*, cohort: Cohort, as_of: date | None = None) -> ClassAttainment:
    """Every student of the class on every competency of its programme's framework, in five queries.

    With ``as_of`` only the work done by that day counts (see ``compute_attainment``).
    """
    cohort = Cohort.objects.select_related("programme__framework__scale").get(pk=cohort.pk)
    framework = cohort.programme.framework
    context = FrameworkContext(framework)
    levels = context.levels[framework.scale_id]
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort).select_related("student").order_by("student_number", "pk")
    )
    figures = compute_attainment(cohort_id=cohort.pk, context=context, as_of=as_of)
    report = ClassAttainment(
        cohort=cohort,
        framework=framework,
        competencies=context.competencies,
        levels=levels,
        mastery_points=context.mastery_points(framework.scale_id),
        max_points=context.max_points(framework.scale_id),
        enrolments=enrolments,
        figures=figures,
        as_of=as_of,
    )
    report.distributions = [_distribution(report, competency) for competency in context.competencies]
    return report


def _distribution(report: ClassAttainment, competency: Competency) -> CompetencyDistribution:
    counts = [0] * (len(report.levels) + 1)
    mastered, total = 0, Decimal(0)
    for enrolment in report.enrolments:
        figure = report.figures.get(enrolment.student_id, {}).get(competency.pk)
        index = report.level_index(enrolment.student_id, competency.pk)
        counts[0 if index is None else index + 1] += 1
        if figure is not None and figure.is_mastered:
            mastered += 1
        if figure is not None and figure.value is not None:
            total += figure.value
    students = len(report.enrolments)
    return CompetencyDistribution(
        competency=competency,
        counts=counts,
        students=students,
        mastered=mastered,
        mean=(total / students).quantize(Decimal("0.01")) if students else None,
    )
