"""Demo portfolios: artefacts of every kind for a few students, some verified, some waiting for review.

Everything goes through the portfolio services, as a student and a reviewer would. A student whose portfolio
already holds artefacts is left alone, so a rerun never duplicates or undoes anything.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from wagtail.models import Page

from courses.hooks import student_works
from courses.models import Competency, CourseOutcome, CoursePage, CourseTeacher, ProficiencyLevel
from lms.demo import content
from lms.demo.pages import publish
from portfolios.models import Artefact, ArtefactKind, ArtefactReview, PortfolioIndexPage, ReviewVerdict, Visibility
from portfolios.services import (
    ArtefactInput,
    portfolio_for,
    request_review,
    save_artefact,
    set_visibility,
    share_with_employer,
    sign_off,
    update_introduction,
)

COUNTED_MODELS = {"portfolio artefacts": Artefact, "artefact reviews": ArtefactReview}

INDEX_SLUG = "portfolios"


@dataclass(frozen=True)
class Review:
    reviewer: str  # a staff username, or "course" for the course's first teacher
    verdict: str
    level: str


@dataclass(frozen=True)
class ArtefactSpec:
    kind: str
    title: str
    done_on: date
    body: str
    visibility: str = Visibility.REVIEWERS
    competencies: tuple[str, ...] = ()
    course_slug: str = ""
    outcome_codes: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)
    ask_review: bool = False
    review: Review | None = None
    #: A second version, written after the review, which goes back to the reviewer.
    response: str = ""


@dataclass(frozen=True)
class PortfolioSpec:
    student: int  # position in content.STUDENT_NAMES
    introduction: str
    artefacts: tuple[ArtefactSpec, ...]
    share_with_employer: bool = False


PORTFOLIOS = (
    PortfolioSpec(
        0,
        "<p>我是跨境电子商务专业2024级学生，关注亚马逊和速卖通的店铺运营。"
        "I run product listings for a Horgos trading company and want to work in cross-border platform operation.</p>",
        (
            ArtefactSpec(
                ArtefactKind.INTERNSHIP,
                "Amazon store operation internship · 亚马逊店铺运营实习",
                date(2026, 8, 28),
                "<p>Eight weeks in the operations team: 40 listings rewritten, A+ content for the kitchenware line, "
                "weekly sales reports. 八周实习：优化40个商品详情页。</p>",
                visibility=Visibility.EMPLOYERS,
                competencies=("CBE-08.1", "CBE-08"),
                fields={"enterprise": content.MENTOR_ORGANISATION, "mentor": "mentor"},
                ask_review=True,
                review=Review("mentor", ReviewVerdict.MEETS, "Proficient"),
            ),
            ArtefactSpec(
                ArtefactKind.CERTIFICATE,
                "1+X Cross-border E-commerce B2B Data Operation (intermediate)",
                date(2026, 6, 27),
                "<p>Certificate scan kept by the class teacher.</p>",
                competencies=("CBE-08",),
                fields={"issuer": "1+X Vocational Skill Certificate Office", "certificate_number": "1X-B2B-2026-0417"},
                ask_review=True,
            ),
            ArtefactSpec(
                ArtefactKind.COURSE_WORK,
                "Store launch plan for a kitchenware brand",
                date(2026, 6, 12),
                "<p>Market research, category choice and a launch calendar for Amazon US.</p>",
                visibility=Visibility.PUBLIC,
                course_slug="cross-border-e-commerce-platform-operation",
                ask_review=True,
                review=Review("course", ReviewVerdict.PARTIALLY_MEETS, "Developing"),
            ),
            ArtefactSpec(
                ArtefactKind.REFLECTION,
                "What the internship taught me · 实习反思",
                date(2026, 9, 5),
                "<p>Draft: notes on handling buyer complaints in English.</p>",
                visibility=Visibility.PRIVATE,
                competencies=("CBE-01",),
            ),
        ),
        share_with_employer=True,
    ),
    PortfolioSpec(
        1,
        "<p>丝路先锋队队员，负责直播带货和海外社媒推广。</p>",
        (
            ArtefactSpec(
                ArtefactKind.COMPETITION_ENTRY,
                "Shopee Cup preliminary entry · 虾皮杯初赛作品",
                date(2026, 4, 20),
                "<p>My part: the product listing and the buyer correspondence.</p>",
                visibility=Visibility.PUBLIC,
                competencies=("CBE-08.1",),
                ask_review=True,
            ),
            ArtefactSpec(
                ArtefactKind.PRACTICE,
                "TikTok Shop live-streaming sessions · 抖音国际版直播",
                date(2026, 7, 30),
                "<p>Twelve live sessions selling phone accessories to UK buyers.</p>",
                visibility=Visibility.EMPLOYERS,
                competencies=("CBE-09.1",),
                fields={"platform": "TikTok Shop", "hours": Decimal("24")},
                ask_review=True,
                review=Review("teacher", ReviewVerdict.PARTIALLY_MEETS, "Developing"),
                response="<p>Added the sales figures of six more sessions in August and the mentor's notes.</p>",
            ),
        ),
    ),
    PortfolioSpec(
        2,
        "<p>I am interested in international logistics and customs.</p>",
        (
            ArtefactSpec(
                ArtefactKind.COURSE_WORK,
                "Customs declaration exercise",
                date(2026, 5, 18),
                "<p>A full set of export documents for a sea shipment to Hamburg.</p>",
                course_slug="logistics-and-supply-chain-management",
                ask_review=True,
            ),
            ArtefactSpec(
                ArtefactKind.PRACTICE,
                "Warehouse practice week",
                date(2026, 7, 10),
                "<p>Draft.</p>",
                visibility=Visibility.PRIVATE,
                competencies=("CBE-10",),
                fields={"platform": "Horgos bonded warehouse", "hours": Decimal("35")},
            ),
        ),
    ),
)


def build_portfolio_index(*, home: Page, editor: AbstractBaseUser) -> PortfolioIndexPage:
    index = PortfolioIndexPage.objects.child_of(home).first()
    if index is None:
        index = PortfolioIndexPage(
            title="Student portfolios · 学生作品集",
            slug=INDEX_SLUG,
            introduction="<p>Portfolios students have chosen to show to everyone.</p>",
            show_in_menus=True,
            live=False,
            owner=editor,
        )
        home.add_child(instance=index)
        index = publish(index, editor=editor)
    return index


def build_portfolios(
    *,
    home: Page,
    courses: dict[str, CoursePage],
    competencies: dict[str, Competency],
    staff: dict[str, AbstractBaseUser],
    students: list[AbstractBaseUser],
) -> None:
    build_portfolio_index(home=home, editor=staff["admin"])
    for spec in PORTFOLIOS:
        student = students[spec.student]
        portfolio = portfolio_for(student=student)
        if portfolio.artefacts.exists():
            continue
        update_introduction(
            portfolio=portfolio,
            student=student,
            introduction=spec.introduction,
            overview_visibility=Visibility.EMPLOYERS,
        )
        for artefact_spec in spec.artefacts:
            _build_artefact(artefact_spec, student=student, courses=courses, competencies=competencies, staff=staff)
        if spec.share_with_employer:
            share_with_employer(portfolio=portfolio, student=student, employer=staff["employer"])


def _build_artefact(
    spec: ArtefactSpec,
    *,
    student: AbstractBaseUser,
    courses: dict[str, CoursePage],
    competencies: dict[str, Competency],
    staff: dict[str, AbstractBaseUser],
) -> Artefact:
    course = courses[spec.course_slug] if spec.course_slug else None
    extra = dict(spec.fields)
    if "mentor" in extra:
        extra["mentor"] = staff[extra["mentor"]]
    if spec.kind == ArtefactKind.COMPETITION_ENTRY:
        extra["linked_work_key"] = student_works(student=student)[0].key
    data = ArtefactInput(
        title=spec.title,
        done_on=spec.done_on,
        body=spec.body,
        course=course,
        outcomes=list(CourseOutcome.objects.filter(course=course)[:1]) if course else [],
        competencies=[competencies[code] for code in spec.competencies],
        **extra,
    )
    artefact = save_artefact(student=student, kind=spec.kind, data=data)
    set_visibility(artefact=artefact, student=student, visibility=spec.visibility)
    if spec.ask_review:
        request_review(artefact=artefact, student=student)
    if spec.review is not None:
        reviewer = (
            CourseTeacher.objects.filter(course=course).order_by("sort_order").first().user
            if spec.review.reviewer == "course"
            else staff[spec.review.reviewer]
        )
        scale = next(iter(competencies.values())).framework.scale
        level = ProficiencyLevel.objects.get(scale=scale, name=spec.review.level)
        sign_off(
            artefact=artefact,
            reviewer=reviewer,
            verdict=spec.review.verdict,
            level=level,
            comment="Checked against the work itself and the mentor's records.",
        )
    if spec.response:
        data.body = spec.body + spec.response
        artefact = save_artefact(student=student, kind=spec.kind, data=data, artefact=artefact)
    return artefact
