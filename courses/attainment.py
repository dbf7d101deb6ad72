"""The attainment engine: competency attainment per student, computed from the evidence ledger in SQL.

Which rows count
    Active ledger rows (not superseded, not retractions). A row about a course outcome counts towards every
    competency the outcome is aligned to, weighted by the alignment weight times the row's own weight (1
    unless its source says otherwise, e.g. a rubric criterion's alignment to the outcome); a row recorded
    directly against a competency counts with its own weight.

Methods (``CalculationMethod``; w, d and n are the framework's parameter)
    Rows are ordered by ``done_on``, the date the work was done. Rows on the same date form one *day*,
    scored by the weighted mean of its rows, so the order of rows within a day never matters.

    - mean: Σ wᵢ·sᵢ / Σ wᵢ over all rows.
    - highest: the highest row score.
    - latest: the latest day's score.
    - weighted latest: w·latest + (1−w)·(weighted mean of the rows before the latest day);
      just the latest day when there is no earlier one.
    - decaying average: D₁ = s₁, Dₖ = (1−d)·Dₖ₋₁ + d·sₖ over days. Unrolled, the day k places from the
      latest (k = 0 for the latest) has coefficient d·(1−d)ᵏ, and the oldest day (1−d)ᵏ, which is what
      the SQL sums. Each row carries its share w/Σw of its day, so a day counts once however many rows.
    - mastered n times: the weighted mean of the rows at or above the mastery level's points when there
      are at least n of them; otherwise not yet attained (``value`` is None).

Everything is one SQL statement with window functions (SQLite ≥ 3.25 and PostgreSQL) and a single grouped
aggregate (no self-join, whose estimates PostgreSQL gets badly wrong for CTEs), so the number of queries
does not depend on the number of students or rows.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from courses.models import (
    METHOD_PARAMETER_DEFAULTS,
    CalculationMethod,
    Competency,
    CompetencyFramework,
    Enrolment,
    EvidenceRecord,
    OutcomeAlignment,
    ProficiencyLevel,
)

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ContributingEvidence:
    """One ledger row as it counted towards one competency."""

    evidence_id: int
    done_on: date
    score: Decimal
    weight: Decimal
    source_kind: str
    source_title: str
    source_url: str


@dataclass
class Attainment:
    student_id: int
    competency: Competency
    method: str
    parameter: Decimal | None
    value: Decimal | None
    level: ProficiencyLevel | None
    mastery_points: Decimal
    max_points: Decimal
    evidence_count: int
    evidence: list[ContributingEvidence] = field(default_factory=list)

    @property
    def is_attained(self) -> bool:
        return self.value is not None

    @property
    def is_mastered(self) -> bool:
        return self.value is not None and self.value >= self.mastery_points

    @property
    def percent(self) -> int:
        """Share of the scale's maximum, for bars and charts."""
        if self.value is None or not self.max_points:
            return 0
        return int((self.value / self.max_points * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _attainment_sql(student_filter: str) -> str:
    evidence = _table(EvidenceRecord)
    alignment = _table(OutcomeAlignment)
    competency = _table(Competency)
    framework = _table(CompetencyFramework)
    level = _table(ProficiencyLevel)
    active = (
        f"e.is_retraction = %s AND NOT EXISTS (SELECT 1 FROM {evidence} s WHERE s.supersedes_id = e.id)"  # noqa: S608
        f" AND {student_filter}"
    )
    # Only quoted table names from model metadata are interpolated; every value is a query parameter.
    return f"""
WITH contrib AS (
    -- "* 1.0": SQLite stores whole decimals as integers, and integer division would truncate the means.
    SELECT e.student_id, a.competency_id, e.done_on, e.score, a.weight * e.weight * 1.0 AS weight
    FROM {evidence} e JOIN {alignment} a ON a.outcome_id = e.outcome_id
    WHERE {active}
  UNION ALL
    SELECT e.student_id, e.competency_id, e.done_on, e.score, e.weight * 1.0
    FROM {evidence} e
    WHERE e.competency_id IS NOT NULL AND {active}
),
params AS (
    SELECT c.id AS competency_id, f.calculation_method AS method,
           COALESCE(f.method_parameter, %s) AS w, COALESCE(f.method_parameter, %s) AS d,
           COALESCE(f.method_parameter, %s) AS n,
           (SELECT l.points FROM {level} l WHERE l.scale_id = f.scale_id AND l.is_mastery = %s) AS mastery
    FROM {competency} c JOIN {framework} f ON f.id = c.framework_id
),
ranked AS (
    SELECT c.*, p.method, p.w, p.d, p.n, p.mastery,
           DENSE_RANK() OVER (PARTITION BY c.student_id, c.competency_id ORDER BY c.done_on DESC) - 1 AS age,
           DENSE_RANK() OVER (PARTITION BY c.student_id, c.competency_id ORDER BY c.done_on) AS day_number,
           SUM(c.weight) OVER (PARTITION BY c.student_id, c.competency_id, c.done_on) AS day_weight
    FROM contrib c JOIN params p ON p.competency_id = c.competency_id
),
figures AS (
    SELECT student_id, competency_id, method, w, n, COUNT(*) AS evidence_count,
           SUM(weight * score) / SUM(weight) AS mean,
           MAX(score) AS highest,
           SUM(CASE WHEN age = 0 THEN weight * score END) / SUM(CASE WHEN age = 0 THEN weight END) AS latest,
           SUM(CASE WHEN age > 0 THEN weight * score END) / SUM(CASE WHEN age > 0 THEN weight END) AS earlier,
           SUM(CASE WHEN day_number = 1 THEN POWER(1 - d, age) ELSE d * POWER(1 - d, age) END
               * weight * score / day_weight) AS decayed,
           SUM(CASE WHEN score >= mastery THEN 1 ELSE 0 END) AS mastered_count,
           SUM(CASE WHEN score >= mastery THEN weight * score END)
             / SUM(CASE WHEN score >= mastery THEN weight END) AS mastered_mean
    FROM ranked
    GROUP BY student_id, competency_id, method, w, n
)
SELECT student_id, competency_id, evidence_count,
       CASE method
         WHEN %s THEN mean
         WHEN %s THEN highest
         WHEN %s THEN latest
         WHEN %s THEN CASE WHEN earlier IS NULL THEN latest ELSE w * latest + (1 - w) * earlier END
         WHEN %s THEN decayed
         WHEN %s THEN CASE WHEN mastered_count >= n THEN mastered_mean END
       END AS value
FROM figures
"""  # noqa: S608


def _params(student_params: list) -> list:
    defaults = [
        CalculationMethod.WEIGHTED_LATEST,
        CalculationMethod.DECAYING_AVERAGE,
        CalculationMethod.N_TIMES_MASTERY,
    ]
    active = [False, *student_params]
    return [
        *active,
        *active,
        *(METHOD_PARAMETER_DEFAULTS[m] for m in defaults),
        True,
        CalculationMethod.MEAN,
        CalculationMethod.HIGHEST,
        CalculationMethod.LATEST,
        CalculationMethod.WEIGHTED_LATEST,
        CalculationMethod.DECAYING_AVERAGE,
        CalculationMethod.N_TIMES_MASTERY,
    ]


def _to_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _level_for(value: Decimal | None, levels: list[ProficiencyLevel]) -> ProficiencyLevel | None:
    """The highest level whose points the value reaches (levels sorted by points ascending)."""
    reached = None
    if value is None:
        return None
    for level in levels:
        if value >= level.points:
            reached = level
    return reached


class FrameworkContext:
    """Competencies, levels and mastery points of the frameworks in play: two queries in all."""

    def __init__(self, framework: CompetencyFramework | None):
        competencies = Competency.objects.select_related("framework__scale").order_by(
            "framework_id", "sort_order", "code"
        )
        if framework is not None:
            competencies = competencies.filter(framework=framework)
        self.competencies = list(competencies)
        self.by_id = {c.pk: c for c in self.competencies}
        scale_ids = {c.framework.scale_id for c in self.competencies}
        self.levels: dict[int, list[ProficiencyLevel]] = defaultdict(list)
        for level in ProficiencyLevel.objects.filter(scale_id__in=scale_ids).order_by("points"):
            self.levels[level.scale_id].append(level)
        # Read once per scale: a class report asks for them tens of thousands of times.
        self._mastery = {
            scale_id: next((lv.points for lv in self.levels[scale_id] if lv.is_mastery), Decimal("0"))
            for scale_id in scale_ids
        }
        self._maximum = {
            scale_id: self.levels[scale_id][-1].points if self.levels[scale_id] else Decimal("0")
            for scale_id in scale_ids
        }

    def mastery_points(self, scale_id: int) -> Decimal:
        return self._mastery.get(scale_id, Decimal("0"))

    def max_points(self, scale_id: int) -> Decimal:
        return self._maximum.get(scale_id, Decimal("0"))

    def attainment(self, student_id: int, competency: Competency, value, evidence_count: int) -> Attainment:
        framework = competency.framework
        scale_id = framework.scale_id
        amount = _to_decimal(value)
        return Attainment(
            student_id=student_id,
            competency=competency,
            method=framework.calculation_method,
            parameter=framework.effective_parameter,
            value=amount,
            level=_level_for(amount, self.levels[scale_id]),
            mastery_points=self.mastery_points(scale_id),
            max_points=self.max_points(scale_id),
            evidence_count=evidence_count,
        )


def compute_attainment(
    *,
    student_ids: Iterable[int] | None = None,
    cohort_id: int | None = None,
    framework: CompetencyFramework | None = None,
    context: "FrameworkContext | None" = None,
    as_of: date | None = None,
) -> dict[int, dict[int, Attainment]]:
    """Attainment for the given students (or a cohort's), keyed by student id then competency id.

    Competencies without any evidence for a student are absent from that student's dict. With ``as_of`` only
    work done on or before that day counts (as the ledger knows it now: later corrections of that work apply).
    """
    if cohort_id is not None:
        enrolment = _table(Enrolment)
        student_filter = f"e.student_id IN (SELECT student_id FROM {enrolment} WHERE cohort_id = %s)"  # noqa: S608
        student_params = [cohort_id]
    else:
        ids = list(student_ids or [])
        if not ids:
            return {}
        student_filter = f"e.student_id IN ({', '.join(['%s'] * len(ids))})"
        student_params = ids
    if as_of is not None:
        student_filter += " AND e.done_on <= %s"
        student_params = [*student_params, as_of]
    context = context or FrameworkContext(framework)
    results: dict[int, dict[int, Attainment]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(_attainment_sql(student_filter), _params(student_params))
        for student_id, competency_id, evidence_count, value in cursor.fetchall():
            competency = context.by_id.get(competency_id)
            if competency is None:
                continue
            results[student_id][competency_id] = context.attainment(student_id, competency, value, int(evidence_count))
    return dict(results)


def contributing_evidence(*, student_id: int) -> dict[int, list[ContributingEvidence]]:
    """Every active ledger row of one student as it counts towards each competency, oldest first."""
    rows = (
        EvidenceRecord.objects.active()
        .filter(student_id=student_id)
        .values_list(
            "id",
            "outcome_id",
            "competency_id",
            "done_on",
            "score",
            "weight",
            "source_kind",
            "source_title",
            "source_url",
        )
        .order_by("done_on", "id")
    )
    alignments = defaultdict(list)
    outcome_rows = list(rows)
    outcome_ids = {row[1] for row in outcome_rows if row[1] is not None}
    for outcome_id, competency_id, weight in OutcomeAlignment.objects.filter(outcome_id__in=outcome_ids).values_list(
        "outcome_id", "competency_id", "weight"
    ):
        alignments[outcome_id].append((competency_id, weight))
    explained: dict[int, list[ContributingEvidence]] = defaultdict(list)
    for evidence_id, outcome_id, competency_id, done_on, score, own_weight, kind, title, url in outcome_rows:
        targets = alignments[outcome_id] if outcome_id is not None else [(competency_id, Decimal("1"))]
        for target, weight in targets:
            explained[target].append(
                ContributingEvidence(evidence_id, done_on, score, weight * own_weight, kind, title, url)
            )
    return dict(explained)
