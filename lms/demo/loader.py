"""Build the demo data in :mod:`lms.demo.content`, idempotently.

Reference data (scale, framework, competencies, programme, tracks, branding) is kept equal to the content
module with ``update_or_create``. What people edit in the admin afterwards — pages, accounts and their
passwords — is only created when missing, so a rerun never overwrites an edit. Results go through
``record_assessment_result`` with seeded scores, which returns the existing result when nothing changed.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Revision, Site

from courses.models import (
    AssessmentResult,
    Cohort,
    Competency,
    CompetencyFramework,
    CourseAssessment,
    CourseIndexPage,
    CourseOutcome,
    CoursePage,
    CourseTeacher,
    Enrolment,
    EvidenceRecord,
    EvidenceSourceKind,
    OutcomeAlignment,
    ProficiencyLevel,
    ProficiencyScale,
    Programme,
    TeacherRole,
    Track,
)
from courses.services import enrol_student, record_assessment_result, record_evidence
from lms.demo import competitions, content, portfolios, transcripts
from lms.demo.content import CourseSpec, PersonSpec
from lms.demo.pages import ensure_teacher_section, publish
from lms.models import HomePage
from lms.roles import STUDENTS
from lms.services import sync_role_groups
from themes.models import BrandingSettings

User = get_user_model()

HOME_SLUG = "home"
#: Our home page's slug while Wagtail's welcome page still holds "home" under the root.
TEMPORARY_HOME_SLUG = "kesai"
ABSENCE_RATE = 0.05

COUNTED_MODELS = {
    "pages": Page,
    "page revisions": Revision,
    "users": User,
    "competencies": Competency,
    "course outcomes": CourseOutcome,
    "outcome alignments": OutcomeAlignment,
    "enrolments": Enrolment,
    "course assessments": CourseAssessment,
    "assessment results": AssessmentResult,
    "evidence rows": EvidenceRecord,
    **competitions.COUNTED_MODELS,
    **portfolios.COUNTED_MODELS,
    **transcripts.COUNTED_MODELS,
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str


@dataclass(frozen=True)
class DemoReport:
    before: dict[str, int]
    after: dict[str, int]
    logins: list[DemoLogin]
    password: str

    @property
    def created(self) -> dict[str, int]:
        return {label: self.after[label] - self.before[label] for label in self.after}


def _counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED_MODELS.items()}


def _chinese_name(user: AbstractBaseUser) -> str:
    return f"{user.last_name}{user.first_name}"


# People


def build_staff(*, password_hash: str) -> dict[str, AbstractBaseUser]:
    groups = sync_role_groups()
    return {spec.username: _person(spec, password_hash=password_hash, groups=groups) for spec in content.STAFF}


def _person(spec: PersonSpec, *, password_hash: str, groups: dict[str, Group]) -> AbstractBaseUser:
    user, _created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.given_name,
            "last_name": spec.family_name,
            "email": spec.email,
            "password": password_hash,
            "is_staff": spec.is_superuser,
            "is_superuser": spec.is_superuser,
        },
    )
    if spec.group:
        user.groups.add(groups[spec.group])
    return user


def build_students(*, password_hash: str) -> list[AbstractBaseUser]:
    """Students in student-number order; each username is the student number, as on campus systems."""
    group = Group.objects.get(name=STUDENTS)
    students = []
    for position, (family_name, given_name) in enumerate(content.STUDENT_NAMES, start=1):
        number = student_number(position)
        user, _created = User.objects.get_or_create(
            username=number,
            defaults={
                "first_name": given_name,
                "last_name": family_name,
                "email": f"{number}@stu.hbs.example.edu.cn",
                "password": password_hash,
            },
        )
        user.groups.add(group)
        students.append(user)
    return students


def student_number(position: int) -> str:
    return f"{content.STUDENT_NUMBER_PREFIX}{position:02d}"


# Framework and programme


def build_framework() -> tuple[CompetencyFramework, dict[str, Competency]]:
    scale, _created = ProficiencyScale.objects.update_or_create(
        name=content.SCALE_NAME, defaults={"description": content.SCALE_DESCRIPTION}
    )
    for order, level in enumerate(content.SCALE_LEVELS):
        ProficiencyLevel.objects.update_or_create(
            scale=scale,
            name=level.name,
            defaults={
                "points": level.points,
                "descriptor": level.descriptor,
                "is_mastery": level.is_mastery,
                "sort_order": order,
            },
        )
    framework, _created = CompetencyFramework.objects.update_or_create(
        name=content.FRAMEWORK_NAME,
        defaults={
            "description": content.FRAMEWORK_DESCRIPTION,
            "scale": scale,
            "calculation_method": content.FRAMEWORK_METHOD,
            "method_parameter": None,
        },
    )
    competencies: dict[str, Competency] = {}
    for order, spec in enumerate(content.COMPETENCIES, start=1):
        competencies[spec.code], _created = Competency.objects.update_or_create(
            framework=framework,
            code=spec.code,
            defaults={
                "name": spec.name,
                "description": f"{spec.name_zh}。{spec.description}",
                "demand_weight": spec.demand_weight,
                "parent": competencies[spec.parent] if spec.parent else None,
                "sort_order": order * 10,
            },
        )
    return framework, competencies


def build_programme(*, framework: CompetencyFramework) -> tuple[Programme, dict[str, Track]]:
    programme, _created = Programme.objects.update_or_create(
        code=content.PROGRAMME_CODE,
        defaults={"name": content.PROGRAMME_NAME, "description": content.PROGRAMME_DESCRIPTION, "framework": framework},
    )
    tracks = {}
    for order, (name, kind, description) in enumerate(content.TRACKS):
        tracks[name], _created = Track.objects.update_or_create(
            programme=programme, name=name, defaults={"kind": kind, "description": description, "sort_order": order}
        )
    return programme, tracks


# Site and pages


def build_site(*, editor: AbstractBaseUser) -> HomePage:
    """Put a Kesai home page at the root of the default site in place of Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        slug_taken = Page.objects.child_of(root).filter(slug=HOME_SLUG).exists()
        home = HomePage(
            title=content.HOME_TITLE,
            slug=TEMPORARY_HOME_SLUG if slug_taken else HOME_SLUG,
            introduction=content.HOME_INTRODUCTION,
            live=False,
            owner=editor,
        )
        root.add_child(instance=home)
        home = publish(home, editor=editor)

    site = Site.objects.get(is_default_site=True)
    if site.root_page_id != home.pk or site.site_name != content.SITE_NAME:
        site.root_page = home
        site.site_name = content.SITE_NAME
        site.save()
    _remove_welcome_page(root=root)
    if home.slug != HOME_SLUG and not Page.objects.child_of(root).filter(slug=HOME_SLUG).exists():
        home.slug = HOME_SLUG
        home = publish(home, editor=editor)

    BrandingSettings.objects.update_or_create(site=site, defaults=content.BRANDING)
    return home


def _remove_welcome_page(*, root: Page) -> None:
    """Delete the plain page Wagtail's first migration made, once no site uses it and nothing hangs below it."""
    plain_page = ContentType.objects.get_for_model(Page)
    for page in Page.objects.child_of(root).filter(slug=HOME_SLUG, content_type=plain_page):
        if Site.objects.filter(root_page=page).exists() or page.get_children().exists():
            continue
        page.delete()


def build_course_index(*, home: HomePage, programme: Programme, editor: AbstractBaseUser) -> CourseIndexPage:
    return ensure_teacher_section(
        home=home,
        model=CourseIndexPage,
        slug=content.COURSE_INDEX_SLUG,
        editor=editor,
        title=content.COURSE_INDEX_TITLE,
        introduction=content.COURSE_INDEX_INTRODUCTION,
        programme=programme,
    )


def build_course(
    spec: CourseSpec,
    *,
    index: CourseIndexPage,
    tracks: dict[str, Track],
    competencies: dict[str, Competency],
    staff: dict[str, AbstractBaseUser],
) -> CoursePage:
    """Create and publish a course page with its teachers and aligned outcomes, unless it is already there."""
    page = CoursePage.objects.child_of(index).filter(slug=spec.slug).first()
    if page is not None:
        return page
    teacher = staff[spec.teacher]
    teachers = [CourseTeacher(user=teacher, role=TeacherRole.TEACHER, sort_order=0)]
    if spec.with_mentor:
        teachers.append(
            CourseTeacher(
                user=staff["mentor"],
                role=TeacherRole.MENTOR,
                organisation=content.MENTOR_ORGANISATION,
                sort_order=1,
            )
        )
    outcomes = [
        CourseOutcome(
            code=outcome.code,
            description=outcome.description,
            sort_order=order,
            alignments=[
                OutcomeAlignment(competency=competencies[code], weight=Decimal(weight), sort_order=position)
                for position, (code, weight) in enumerate(outcome.alignments)
            ],
        )
        for order, outcome in enumerate(spec.outcomes)
    ]
    page = CoursePage(
        title=spec.title,
        slug=spec.slug,
        code=spec.code,
        credits=spec.credits,
        term=spec.term,
        track=tracks[spec.track],
        summary=spec.summary,
        syllabus=_syllabus(spec),
        teachers=teachers,
        outcomes=outcomes,
        live=False,
        owner=teacher,
    )
    index.add_child(instance=page)
    return publish(page, editor=teacher)


def _syllabus(spec: CourseSpec) -> list[dict]:
    """The syllabus in StreamField's raw form; rich text is Wagtail's stored HTML."""
    blocks = [
        {"type": "heading", "value": "Teaching plan"},
        {"type": "paragraph", "value": f"<p>{escape(spec.introduction)}</p>"},
    ]
    for unit in spec.units:
        topics = "".join(f"<li>{escape(topic)}</li>" for topic in unit.topics)
        blocks.append(
            {
                "type": "unit",
                "value": {
                    "title": unit.title,
                    "hours": unit.hours,
                    "practice": unit.practice,
                    "topics": f"<ul>{topics}</ul>",
                },
            }
        )
    return blocks


# Cohort, results and certificates


def build_cohort(*, programme: Programme, teacher: AbstractBaseUser, students: list[AbstractBaseUser]) -> Cohort:
    cohort, _created = Cohort.objects.get_or_create(
        programme=programme, name=content.COHORT_NAME, defaults={"entry_year": content.COHORT_ENTRY_YEAR}
    )
    cohort.teachers.add(teacher)
    for position, student in enumerate(students, start=1):
        enrol_student(
            cohort=cohort,
            student=student,
            student_number=student_number(position),
            enrolled_on=content.COHORT_ENROLLED_ON,
        )
    return cohort


def build_assessments(*, courses: dict[str, CoursePage]) -> list[CourseAssessment]:
    assessments = []
    for spec in content.ASSESSMENTS:
        course = courses[spec.course_slug]
        assessment, _created = CourseAssessment.objects.get_or_create(
            course=course, title=spec.title, defaults={"held_on": spec.held_on, "max_score": content.MAX_SCORE}
        )
        outcomes = list(CourseOutcome.objects.filter(course=course, code__in=spec.outcome_codes))
        if {outcome.pk for outcome in assessment.outcomes.all()} != {outcome.pk for outcome in outcomes}:
            assessment.outcomes.set(outcomes)
            assessment.save()
        assessments.append(assessment)
    return assessments


def record_results(
    *,
    assessments: list[CourseAssessment],
    students: list[AbstractBaseUser],
    staff: dict[str, AbstractBaseUser],
) -> None:
    """Seeded scores: each student has an ability around 76; a few are absent from an assessment.

    Every random number is drawn on every run, whatever is already stored, so reruns give the same scores
    and ``record_assessment_result`` finds nothing to change.
    """
    rng = random.Random(content.SCORE_SEED)  # noqa: S311 (demo scores, not secrets)
    abilities = [min(95.0, max(42.0, rng.gauss(76, 8))) for _student in students]
    teacher_of = {spec.slug: staff[spec.teacher] for spec in content.COURSES}
    for spec, assessment in zip(content.ASSESSMENTS, assessments, strict=True):
        for student, ability in zip(students, abilities, strict=True):
            sat = rng.random() >= ABSENCE_RATE
            raw = round(ability + spec.difficulty + rng.gauss(0, 5))
            if not sat:
                continue
            record_assessment_result(
                assessment=assessment,
                student=student,
                score=Decimal(min(100, max(15, raw))),
                recorded_by=teacher_of[spec.course_slug],
            )


def record_certificates(
    *, students: list[AbstractBaseUser], competencies: dict[str, Competency], recorded_by: AbstractBaseUser
) -> None:
    """Certificates count directly towards a competency. Any row with the key, even retracted, means done."""
    for certificate in content.CERTIFICATES:
        for position in certificate.holders:
            student = students[position]
            source_key = f"demo.certificate:{student.username}"
            if EvidenceRecord.objects.filter(source_key=source_key).exists():
                continue
            record_evidence(
                student=student,
                competency=competencies[certificate.competency_code],
                score=certificate.score,
                done_on=certificate.done_on,
                source_kind=EvidenceSourceKind.CERTIFICATE,
                source_title=certificate.title,
                source_key=source_key,
                recorded_by=recorded_by,
                note="Certificate seen and checked by the class teacher.",
            )


# Everything


@transaction.atomic
def load_demo() -> DemoReport:
    before = _counts()
    password_hash = make_password(content.DEMO_PASSWORD)
    staff = build_staff(password_hash=password_hash)
    students = build_students(password_hash=password_hash)
    framework, competencies = build_framework()
    programme, tracks = build_programme(framework=framework)
    home = build_site(editor=staff["admin"])
    index = build_course_index(home=home, programme=programme, editor=staff["admin"])
    courses = {
        spec.slug: build_course(spec, index=index, tracks=tracks, competencies=competencies, staff=staff)
        for spec in content.COURSES
    }
    build_cohort(programme=programme, teacher=staff["teacher"], students=students)
    assessments = build_assessments(courses=courses)
    record_results(assessments=assessments, students=students, staff=staff)
    record_certificates(students=students, competencies=competencies, recorded_by=staff["teacher"])
    competitions.build_competitions(home=home, courses=courses, staff=staff, students=students)
    portfolios.build_portfolios(home=home, courses=courses, competencies=competencies, staff=staff, students=students)
    transcripts.build_transcripts(staff=staff, students=students)
    return DemoReport(before=before, after=_counts(), logins=_logins(students), password=content.DEMO_PASSWORD)


def _logins(students: list[AbstractBaseUser]) -> list[DemoLogin]:
    roles = {
        "teacher": "teacher (class teacher of " + content.COHORT_NAME + ")",
        "teacher2": "teacher",
        "mentor": f"enterprise mentor, {content.MENTOR_ORGANISATION}",
        "judge": "competition judge",
        "employer": f"employer, {content.EMPLOYER_COMPANY}",
        "admin": "site administrator (superuser)",
    }
    people = {user.username: user for user in User.objects.filter(username__in=roles)}
    logins = [DemoLogin(name, _chinese_name(people[name]), role) for name, role in roles.items()]
    first, last = students[0], students[-1]
    logins.append(
        DemoLogin(
            first.username,
            _chinese_name(first),
            f"student; all {len(students)} students log in with their student number "
            f"({first.username}–{last.username})",
        )
    )
    return logins
