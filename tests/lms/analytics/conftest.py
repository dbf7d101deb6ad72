"""A small programme whose every analytics figure is worked out by hand below.

Programme P (framework on the 1 / 2 / 3 (mastery) / 4 scale, mean method) has three competencies:
TRADE (demand 80), COMM (demand 60) and DATA (demand 40). Its courses (live, under P's course index):
- EC101 (track "Platform courses"): LO1 → TRADE 1.0; LO2 → COMM 1.0
- EC102 (no track):                  LO3 → TRADE 0.5 and COMM 0.5
No course builds DATA.

The competition "Skills contest" (related to EC101), round "Preliminary":
- task "Listing": criterion "Quality" → LO1 (0.8); criterion "Speed" → no outcome
- task "Email":   criterion "Tone" → LO2 (0.6)
So LO3 is assessed by no competition and "Speed" is aligned to no outcome. Another programme's competition
("Other contest", aligned to another programme's outcome) must not show up.

Class A of P, four students in student-number order s1..s4, with evidence (date the work was done):
- s1: LO1 4 (10 Oct 2025); LO2 3 (1 Mar 2026)
- s2: LO1 2 (1 Nov 2025); LO1 4 (1 Apr 2026)
- s3: LO3 2 (10 Mar 2026) → TRADE 2 and COMM 2 (one row, weight 0.5 on each: the mean of one row is the row)
- s4: nothing

Now (all the work counted):
- TRADE: s1 4 Exemplary, s2 (2 + 4) / 2 = 3 Proficient, s3 2 Developing, s4 —
  counts [not attained 1, Beginning 0, Developing 1, Proficient 1, Exemplary 1]; 2 of 4 at mastery (50%);
  class mean (4 + 3 + 2 + 0) / 4 = 2.25
- COMM: s1 3 Proficient, s3 2 Developing → counts [2, 0, 1, 1, 0]; 1 of 4 at mastery (25%); mean 5 / 4 = 1.25
- DATA: counts [4, 0, 0, 0, 0]; 0%; mean 0

End of the 2025–2026 autumn term (31 January 2026): TRADE s1 4, s2 2 → mean 6 / 4 = 1.5, 1 of 4 at mastery;
COMM nothing → mean 0.

Demand gap (mastery 3): employers answered TRADE once with 5 (an earlier 1 superseded) → 100 on the 0–100
scale, so TRADE's demand is (80 + 100) / 2 = 90.
- TRADE: attainment 2.25 / 3 = 75.0% → gap 90 × 25.0% = 22.5
- COMM: 1.25 / 3 = 41.666…% → 41.7% → gap 60 × 58.3% = 34.98 → 35.0
- DATA: 0% → gap 40 × 100% = 40.0
Ranked: DATA 40.0, COMM 35.0, TRADE 22.5.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from competitions.models import Criterion, CriterionAlignment, Task
from courses.models import Cohort, Competency, CourseOutcome, CoursePage, CourseTeacher, Programme, TeacherRole, Track
from courses.services import record_evidence
from lms.services import sync_role_groups
from portfolios.models import Transcript, TranscriptFeedback
from tests.competitions.factories import competition_page, round_page
from tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FrameworkFactory,
    ProgrammeFactory,
    UserFactory,
    course_index,
    course_page,
    outcome,
)


@dataclass
class Analytics:
    programme: Programme
    other_programme: Programme
    trade: Competency
    comm: Competency
    data: Competency
    ec101: CoursePage
    ec102: CoursePage
    lo1: CourseOutcome
    lo2: CourseOutcome
    lo3: CourseOutcome
    quality: Criterion
    speed: Criterion
    tone: Criterion
    listing: Task
    email: Task
    cohort: Cohort
    sister_cohort: Cohort
    other_cohort: Cohort
    students: list
    class_teacher: object
    course_teacher: object
    colleague: object  # teaches class B of the same programme
    mentor: object
    other_teacher: object
    employer: object
    student: object


def _criterion(task: Task, title: str, order: int, aligned: list[tuple[CourseOutcome, str]]) -> Criterion:
    criterion = Criterion.objects.create(
        task=task, title=title, weight=Decimal(1), max_points=Decimal(10), sort_order=order
    )
    for target, weight in aligned:
        CriterionAlignment.objects.create(criterion=criterion, outcome=target, weight=Decimal(weight))
    return criterion


def _task(round_page, title: str, order: int) -> Task:
    return Task.objects.create(round=round_page, title=title, brief="<p>Brief</p>", sort_order=order)


@pytest.fixture
def analytics(db) -> Analytics:
    sync_role_groups()
    framework = FrameworkFactory(name="Cross-border framework")
    trade = CompetencyFactory(
        framework=framework, code="TRADE", name="Cross-border trade", demand_weight=80, sort_order=1
    )
    comm = CompetencyFactory(
        framework=framework, code="COMM", name="Buyer communication", demand_weight=60, sort_order=2
    )
    data = CompetencyFactory(framework=framework, code="DATA", name="Data analysis", demand_weight=40, sort_order=3)
    programme = ProgrammeFactory(name="Cross-border e-commerce", framework=framework)
    platform = Track.objects.create(programme=programme, name="Platform courses", sort_order=0)
    index = course_index(programme=programme, title="Pcourses")
    ec101 = course_page(index=index, code="EC101", title="Platform operation", track=platform)
    ec102 = course_page(index=index, code="EC102", title="Trade English")
    lo1 = outcome(course=ec101, code="LO1", aligned=[(trade, "1")])
    lo2 = outcome(course=ec101, code="LO2", aligned=[(comm, "1")])
    lo3 = outcome(course=ec102, code="LO3", aligned=[(trade, "0.5"), (comm, "0.5")])

    contest = competition_page(title="Skills contest")
    contest.related_courses.add(ec101)
    contest.save()
    preliminary = round_page(competition=contest, title="Preliminary")
    listing = _task(preliminary, "Listing", 1)
    email = _task(preliminary, "Email", 2)
    quality = _criterion(listing, "Quality", 1, [(lo1, "0.8")])
    speed = _criterion(listing, "Speed", 2, [])
    tone = _criterion(email, "Tone", 1, [(lo2, "0.6")])

    other_programme = ProgrammeFactory(name="Logistics")
    other_course = course_page(index=course_index(programme=other_programme, title="Lcourses"), code="LOG1")
    other_outcome = outcome(course=other_course, code="LO9", aligned=[(CompetencyFactory(), "1")])
    other_round = round_page(competition=competition_page(title="Other contest"), title="Final")
    _criterion(_task(other_round, "Shipping", 1), "Customs", 1, [(other_outcome, "1")])

    class_teacher = UserFactory(username="class.teacher", roles=["Teachers"])
    course_teacher = UserFactory(username="course.teacher", roles=["Teachers"])
    colleague = UserFactory(username="colleague", roles=["Teachers"])
    mentor = UserFactory(username="mentor", roles=["Enterprise mentors"])
    other_teacher = UserFactory(username="other.teacher", roles=["Teachers"])
    employer = UserFactory(username="employer", roles=["Employers"])
    CourseTeacher.objects.create(course=ec101, user=course_teacher, role=TeacherRole.TEACHER)
    CourseTeacher.objects.create(course=ec101, user=mentor, role=TeacherRole.MENTOR, organisation="Shopee")

    cohort = CohortFactory(programme=programme, name="Class A", entry_year=2025)
    cohort.teachers.add(class_teacher)
    sister_cohort = CohortFactory(programme=programme, name="Class B", entry_year=2025)
    sister_cohort.teachers.add(colleague)
    other_cohort = CohortFactory(programme=other_programme, name="Class L", entry_year=2025)
    other_cohort.teachers.add(other_teacher)
    students = [
        EnrolmentFactory(
            cohort=cohort,
            student=UserFactory(username=f"s{n}", first_name=f"Student {n}", last_name="Li", roles=["Students"]),
            student_number=f"2025{n:04d}",
        ).student
        for n in range(1, 5)
    ]
    s1, s2, s3, _s4 = students

    def evidence(student, target, score, done_on):
        record_evidence(
            student=student,
            outcome=target,
            score=Decimal(score),
            done_on=done_on,
            source_kind="course_assessment",
            source_title=f"{target.code} assessment",
            recorded_by=class_teacher,
        )

    evidence(s1, lo1, "4", date(2025, 10, 10))
    evidence(s1, lo2, "3", date(2026, 3, 1))
    evidence(s2, lo1, "2", date(2025, 11, 1))
    evidence(s2, lo1, "4", date(2026, 4, 1))
    evidence(s3, lo3, "2", date(2026, 3, 10))

    transcript = Transcript.objects.create(
        student=s1, version=1, language="en", snapshot={}, credential="-", issued_by=s1, issued_at=timezone.now()
    )
    first = TranscriptFeedback.objects.create(transcript=transcript, competency=trade, employer=employer, importance=1)
    TranscriptFeedback.objects.create(
        transcript=transcript, competency=trade, employer=employer, importance=5, supersedes=first
    )
    return Analytics(
        programme=programme,
        other_programme=other_programme,
        trade=trade,
        comm=comm,
        data=data,
        ec101=ec101,
        ec102=ec102,
        lo1=lo1,
        lo2=lo2,
        lo3=lo3,
        quality=quality,
        speed=speed,
        tone=tone,
        listing=listing,
        email=email,
        cohort=cohort,
        sister_cohort=sister_cohort,
        other_cohort=other_cohort,
        students=students,
        class_teacher=class_teacher,
        course_teacher=course_teacher,
        colleague=colleague,
        mentor=mentor,
        other_teacher=other_teacher,
        employer=employer,
        student=s1,
    )
