"""The demo's competitions: a judged provincial skills-and-innovation contest and an open Internet+ school round.

The Shopee Cup's registration closed in spring 2026 and its preliminary round has been judged and finalised:
six teams of demo students, their submissions for the six real operation tasks, two judges per entry from a
panel with an enterprise expert, awards for the top four, and the evidence that finalising wrote into the
ledger. Its final is published but not judged. The Internet+ school round is open for registration now and
has no teams, so a student (or a browser journey) can register one.

Everything is keyed on slugs, team names and usernames and only created when missing; judging is only done
while the preliminary has never been finalised, so a rerun (or an organiser's later reopening) is left alone.
Registration is closed for the Shopee Cup, so its teams are made as rows with the rights the team services
would have granted, and its submissions as rows dated inside the round's window.
"""

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from competitions.models import (
    AdvancementRule,
    AggregationMethod,
    Award,
    CompetitionCategory,
    CompetitionIndexPage,
    CompetitionLevel,
    CompetitionPage,
    Criterion,
    CriterionAlignment,
    JudgeAssignment,
    LatePolicy,
    ResultsVisibility,
    RoundFinalisation,
    RoundJudge,
    RoundKind,
    RoundPage,
    RoundResult,
    Score,
    Submission,
    Task,
    Team,
    TeamMembership,
)
from competitions.permissions import grant_membership_rights, grant_supervision_rights
from competitions.selectors.judging import aggregate_round, current_scores
from competitions.services.judging import assign_automatically, record_score
from competitions.services.results import finalise_round
from courses.models import CourseOutcome, CoursePage
from lms.demo import content
from lms.demo.pages import ensure_teacher_section, publish
from themes.sanitiser import sanitise_html

COUNTED_MODELS = {
    "teams": Team,
    "team memberships": TeamMembership,
    "submissions": Submission,
    "judge assignments": JudgeAssignment,
    "scores": Score,
    "round results": RoundResult,
}


def _at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in the project's time zone (TIME_ZONE, Asia/Shanghai by default)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


# Data

INDEX_TITLE = "Competitions"
INDEX_SLUG = "competitions"
INDEX_INTRODUCTION = (
    "<p>Discipline competitions that our courses prepare for. Each task's rubric criteria are aligned to "
    "<b>course outcomes</b>, so a judged entry becomes evidence on every team member's competency transcript.</p>"
)

#: Level names of the four-level scale, top first, and the share of a criterion's points each level earns.
LEVELS = (("Exemplary", Decimal("1")), ("Proficient", Decimal("0.75")), ("Developing", Decimal("0.55")),
          ("Beginning", Decimal("0.3")))  # fmt: skip

JUDGE_ORGANISATION = "Horgos Cross-border E-commerce Association"


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    max_points: Decimal
    weight: Decimal
    #: What work looks like at each of LEVELS, top first.
    descriptors: tuple[str, str, str, str]
    #: (course slug, outcome code, alignment weight)
    alignments: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TaskSpec:
    title: str
    brief: str
    deliverables: str
    criteria: tuple[CriterionSpec, ...]
    #: What a team hands in: a sentence for the submission text and the path of its link.
    sample_work: str = ""
    sample_path: str = ""


@dataclass(frozen=True)
class RoundSpec:
    slug: str
    title: str
    kind: str
    introduction: str
    #: A fixed moment, or an offset from the start of the day the demo is first loaded (local time).
    opens_at: datetime | timedelta
    submission_deadline: datetime | timedelta
    tasks: tuple[TaskSpec, ...]
    #: (username, organisation) of the panel.
    judges: tuple[tuple[str, str], ...]
    late_policy: str = LatePolicy.REFUSE
    late_deadline: datetime | None = None
    late_penalty_percent: Decimal = Decimal("0")
    advancement_rule: str = AdvancementRule.NONE
    advance_top_n: int | None = None
    results_visibility: str = ResultsVisibility.PUBLIC


@dataclass(frozen=True)
class CompetitionSpec:
    slug: str
    title: str
    summary: str
    organiser: str
    level: str
    category: str
    #: Fixed moments, or offsets as in RoundSpec.
    registration_opens: datetime | timedelta
    registration_closes: datetime | timedelta
    min_team_size: int
    max_team_size: int
    judges_per_entry: int
    aggregation_method: str
    related_courses: tuple[str, ...]
    rules: tuple[tuple[str, str], ...]  # (heading, paragraph HTML)
    rounds: tuple[RoundSpec, ...]
    owner: str = "teacher"


@dataclass(frozen=True)
class TeamSpec:
    name: str
    #: Student-number positions (1-based) of the members; the first is the captain.
    members: tuple[int, ...]
    advisor: str
    mentor: str = ""
    #: Share of the points the team's work earns on average, before the judges' spread.
    strength: float = 0.75
    #: Titles of the preliminary tasks this team handed in after the deadline (within the late window).
    late_tasks: tuple[str, ...] = ()


PLATFORM = "cross-border-e-commerce-platform-operation"
MARKETING = "online-marketing-and-promotion"
LOGISTICS = "logistics-and-supply-chain-management"
CORRESPONDENCE = "foreign-trade-correspondence"
TRADE = "international-trade-practice"

PANEL = (("judge", JUDGE_ORGANISATION), ("mentor", content.MENTOR_ORGANISATION), ("teacher2", ""))

OPERATION_TASKS = (
    TaskSpec(
        title="Platform registration",
        brief=(
            "<p>Register a seller account on Shopee's cross-border seller centre for your assigned market "
            "(Malaysia, the Philippines or Singapore) and complete verification, payment and shipping settings.</p>"
        ),
        deliverables="Screenshots of the verified account, payment settings and shipping templates.\n"
        "A one-page set-up checklist with the reason for each setting.",
        criteria=(
            CriterionSpec(
                "Account set-up and verification",
                Decimal("60"),
                Decimal("0.6"),
                (
                    "Verified first time; every setting fits the market and the platform rules, with reasons.",
                    "Verified; settings complete and correct, a few reasons missing from the checklist.",
                    "Verified after corrections; some settings copied without checking the market.",
                    "Incomplete or rejected; key settings missing.",
                ),
                ((PLATFORM, "LO1", "1.0"),),
            ),
            CriterionSpec(
                "Payment and shipping templates",
                Decimal("40"),
                Decimal("0.4"),
                (
                    "Templates cover every channel and weight band; costs checked against the logistics rate card.",
                    "Templates work for the main channels; a few weight bands estimated.",
                    "One channel set up; costs not checked.",
                    "Templates missing or would lose money on most orders.",
                ),
                ((PLATFORM, "LO1", "0.8"), (LOGISTICS, "LO1", "0.5")),
            ),
        ),
        sample_work="Seller account verified for the Malaysian market; payment via Payoneer, three shipping templates.",
        sample_path="seller-centre/account",
    ),
    TaskSpec(
        title="Product listing",
        brief=(
            "<p>Research the market and list <b>ten products</b> from the partner company's catalogue with "
            "compliant titles, keywords, images and prices.</p>"
        ),
        deliverables="Links to the ten live listings.\nA product-selection sheet with search and competitor data.",
        criteria=(
            CriterionSpec(
                "Product research and selection",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Every choice backed by search, sales and competitor data; margins calculated.",
                    "Most choices backed by data; margins estimated.",
                    "Choices follow the catalogue more than the market.",
                    "No evidence of research.",
                ),
                ((PLATFORM, "LO2", "0.8"), (MARKETING, "LO1", "0.6")),
            ),
            CriterionSpec(
                "Titles, keywords, images and prices",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Listings rank for their keywords, follow every platform rule and are priced to compete.",
                    "Listings compliant and clear; keywords or prices could be sharper.",
                    "Some listings break rules on titles or images, or are priced without checking rivals.",
                    "Listings incomplete or removed by the platform.",
                ),
                ((PLATFORM, "LO2", "1.0"),),
            ),
        ),
        sample_work="Ten listings live in the home and living category; titles built from the top search terms.",
        sample_path="shop/listings",
    ),
    TaskSpec(
        title="Buyer correspondence",
        brief=(
            "<p>Answer the set of twenty real buyer messages from the partner store (questions, order changes, "
            "complaints) in English, within the platform's response times.</p>"
        ),
        deliverables="Your replies, with the time each was sent.",
        criteria=(
            CriterionSpec(
                "Language, tone and accuracy",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Correct, courteous and natural English that fits each buyer; facts all right.",
                    "Clear and polite; a few slips that do not change the meaning.",
                    "Understandable, but errors or a tone that could put buyers off.",
                    "Hard to follow or wrong on the facts.",
                ),
                ((CORRESPONDENCE, "LO1", "1.0"),),
            ),
            CriterionSpec(
                "Answers to messages and complaints",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Every message answered in time; complaints settled while keeping the buyer.",
                    "All answered in time; complaints handled by the book.",
                    "Some answers late or leave the buyer's question open.",
                    "Many messages unanswered or late.",
                ),
                ((CORRESPONDENCE, "LO2", "0.9"),),
            ),
        ),
        sample_work="All twenty messages answered within 12 hours; two complaints settled with partial refunds.",
        sample_path="chat/replies",
    ),
    TaskSpec(
        title="Inquiries and sales",
        brief=(
            "<p>Turn buyer inquiries into orders: make offers, negotiate price and delivery, and run a two-week "
            "store promotion within the given budget.</p>"
        ),
        deliverables="The inquiry and offer threads.\nThe promotion plan and its sales report.",
        criteria=(
            CriterionSpec(
                "Offers and negotiation",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Offers complete and persuasive; terms negotiated without giving away the margin.",
                    "Offers complete; concessions made but the margin kept.",
                    "Offers miss terms, or the price drops without a reason.",
                    "No usable offer.",
                ),
                ((CORRESPONDENCE, "LO3", "1.0"),),
            ),
            CriterionSpec(
                "Promotion and sales results",
                Decimal("50"),
                Decimal("0.5"),
                (
                    "Promotion on budget, sales above target, and the report explains what worked.",
                    "Promotion on budget and near target; report describes the figures.",
                    "Budget overspent or sales well below target.",
                    "No promotion run or no report.",
                ),
                ((MARKETING, "LO2", "0.8"), (PLATFORM, "LO3", "0.6")),
            ),
        ),
        sample_work="Eight inquiries, five orders; flash-sale promotion at 96% of budget, sales 112% of target.",
        sample_path="marketing/promotion-report",
    ),
    TaskSpec(
        title="Shipping",
        brief=(
            "<p>Ship the orders you won: choose a channel for each from the partner's rate cards (postal, "
            "dedicated line or overseas warehouse) and plan next month's warehouse stock.</p>"
        ),
        deliverables="A shipping plan with the cost and delivery time of each order.\nA one-month stock plan.",
        criteria=(
            CriterionSpec(
                "Choice of shipping channel and cost",
                Decimal("60"),
                Decimal("0.6"),
                (
                    "Cheapest channel that meets each promised delivery time; risks named.",
                    "Sound choices; costs right, risks partly considered.",
                    "One channel for everything, or costs wrong.",
                    "Orders would miss delivery times.",
                ),
                ((LOGISTICS, "LO1", "1.0"),),
            ),
            CriterionSpec(
                "Overseas warehouse stock plan",
                Decimal("40"),
                Decimal("0.4"),
                (
                    "Plan follows the sales forecast, with safety stock and costs.",
                    "Plan follows the forecast; safety stock guessed.",
                    "Plan not tied to the forecast.",
                    "No plan.",
                ),
                ((LOGISTICS, "LO3", "0.7"),),
            ),
        ),
        sample_work="Five orders by dedicated line to Kuala Lumpur, average 6.5 days; stock plan for 120 units.",
        sample_path="logistics/shipping-plan",
    ),
    TaskSpec(
        title="Export documents (customs)",
        brief=(
            "<p>Prepare the customs declaration for your shipments under the cross-border B2C mode (9610) and "
            "explain when the 9710 or 9810 modes would apply.</p>"
        ),
        deliverables="The declaration list, commercial invoice and packing list.\nA half-page note on customs modes.",
        criteria=(
            CriterionSpec(
                "Declaration documents",
                Decimal("60"),
                Decimal("0.6"),
                (
                    "Every document complete and consistent; HS codes and values right.",
                    "Documents complete; one or two small inconsistencies.",
                    "Documents would be queried by customs.",
                    "Documents missing.",
                ),
                ((LOGISTICS, "LO2", "1.0"),),
            ),
            CriterionSpec(
                "Customs mode and compliance",
                Decimal("40"),
                Decimal("0.4"),
                (
                    "Modes explained with the right conditions and an example of each.",
                    "Modes explained correctly.",
                    "Modes confused.",
                    "Not attempted.",
                ),
                ((LOGISTICS, "LO2", "0.6"),),
            ),
        ),
        sample_work="Declaration list, invoice and packing list under 9610; note on 9710 and 9810.",
        sample_path="customs/declaration",
    ),
)

FINAL_TASKS = (
    TaskSpec(
        title="Live store operation and pitch",
        brief=(
            "<p>Run your store for the final week on the partner company's account, then pitch its results and "
            "your plan for the next quarter to the panel in English (8 minutes, 5 minutes of questions).</p>"
        ),
        deliverables="The store's weekly report.\nThe pitch slides.",
        criteria=(
            CriterionSpec(
                "Store results in the final week",
                Decimal("60"),
                Decimal("0.6"),
                (
                    "Traffic, conversion and sales up on the preliminary, with the reasons shown in the data.",
                    "Results up on the preliminary; reasons partly shown.",
                    "Results flat; little analysis.",
                    "Store not run.",
                ),
                ((PLATFORM, "LO3", "1.0"), (MARKETING, "LO4", "0.6")),
            ),
            CriterionSpec(
                "Pitch and answers to the panel",
                Decimal("40"),
                Decimal("0.4"),
                (
                    "Clear, convincing pitch; every question answered with figures.",
                    "Clear pitch; most questions answered.",
                    "Pitch hard to follow or over time.",
                    "No pitch.",
                ),
                ((MARKETING, "LO4", "0.9"), (PLATFORM, "LO4", "0.5")),
            ),
        ),
    ),
)

SHOPEE_CUP = CompetitionSpec(
    slug="shopee-cup",
    title="Shopee Cup Cross-border E-commerce Innovation and Entrepreneurship Competition",
    summary=(
        "虾皮杯跨境电商创新创业大赛 — teams of two to four students run a real Shopee store, from registration to "
        "customs documents, judged by teachers and enterprise experts."
    ),
    organiser="Xinjiang Cross-border E-commerce Industry Association, with Shopee and Horgos Business School",
    level=CompetitionLevel.PROVINCIAL,
    category=CompetitionCategory.INNOVATION,
    registration_opens=_at(2026, 3, 1),
    registration_closes=_at(2026, 4, 1),
    min_team_size=2,
    max_team_size=4,
    judges_per_entry=2,
    aggregation_method=AggregationMethod.TRIMMED_MEAN,
    related_courses=(PLATFORM, MARKETING, LOGISTICS, CORRESPONDENCE),
    rules=(
        (
            "Who may enter",
            "<p>Full-time students of the province's colleges, in teams of two to four with one advisor teacher; "
            "an enterprise mentor is welcome. A student enters one team only.</p>",
        ),
        (
            "Rounds and judging",
            "<p>The preliminary round is six real operation tasks on a partner company's store. Two judges from a "
            "panel of teachers and enterprise experts score each entry against the published rubric; judges never "
            "score a team they advise or mentor. The best four teams go through to the final.</p>",
        ),
        (
            "Late work and awards",
            "<p>Work handed in up to two days late loses 10% of its points; later work is not accepted. The final "
            "awards first, second and third prizes and honourable mentions.</p>",
        ),
    ),
    rounds=(
        RoundSpec(
            slug="preliminary",
            title="Preliminary round",
            kind=RoundKind.PRELIMINARY,
            introduction="<p>Six real operation tasks on the partner company's Shopee store.</p>",
            opens_at=_at(2026, 4, 2),
            submission_deadline=_at(2026, 5, 10, 23, 59),
            late_policy=LatePolicy.PENALISE,
            late_deadline=_at(2026, 5, 12, 23, 59),
            late_penalty_percent=Decimal("10"),
            advancement_rule=AdvancementRule.TOP_N,
            advance_top_n=4,
            tasks=OPERATION_TASKS,
            judges=PANEL,
        ),
        RoundSpec(
            slug="final",
            title="Final",
            kind=RoundKind.FINAL,
            introduction="<p>The four best teams of the preliminary run their store live for a week and pitch.</p>",
            opens_at=_at(2026, 5, 20),
            submission_deadline=_at(2026, 6, 5, 23, 59),
            tasks=FINAL_TASKS,
            judges=PANEL,
        ),
    ),
)

INTERNET_PLUS = CompetitionSpec(
    slug="internet-plus-school-round",
    title="Internet+ College Students' Innovation and Entrepreneurship Competition (school round)",
    summary=(
        "“互联网+”大学生创新创业大赛校赛 — write a business plan for a cross-border venture; the best go on to the "
        "provincial round."
    ),
    organiser="Academic Affairs Office and Innovation and Entrepreneurship College, Horgos Business School",
    level=CompetitionLevel.SCHOOL,
    category=CompetitionCategory.INNOVATION,
    registration_opens=timedelta(days=-7, hours=9),
    registration_closes=timedelta(days=30, hours=23, minutes=59),
    min_team_size=1,
    max_team_size=5,
    judges_per_entry=2,
    aggregation_method=AggregationMethod.MEAN,
    related_courses=(MARKETING, PLATFORM, TRADE),
    rules=(
        (
            "Who may enter",
            "<p>Any student of the school, alone or in a team of up to five, with an advisor teacher.</p>",
        ),
        (
            "What is judged",
            "<p>One business plan per team, judged on its market analysis, its business model, and the team and "
            "its plan for putting the idea into practice.</p>",
        ),
    ),
    rounds=(
        RoundSpec(
            slug="school-round",
            title="School round",
            kind=RoundKind.PRELIMINARY,
            introduction="<p>Hand in your business plan before the deadline.</p>",
            opens_at=timedelta(days=-7, hours=9),
            submission_deadline=timedelta(days=45, hours=23, minutes=59),
            tasks=(
                TaskSpec(
                    title="Business plan",
                    brief=(
                        "<p>A business plan (at most 20 pages) for a cross-border e-commerce venture: the market, "
                        "the product, how it makes money, the team, and the first year's plan and budget.</p>"
                    ),
                    deliverables="The business plan (PDF or Word).\nA one-page summary.",
                    criteria=(
                        CriterionSpec(
                            "Market analysis",
                            Decimal("40"),
                            Decimal("0.4"),
                            (
                                "Target market sized from real data; competitors and buyers understood.",
                                "Market described with data; competitors listed.",
                                "Market described in general terms.",
                                "No market analysis.",
                            ),
                            ((MARKETING, "LO1", "1.0"),),
                        ),
                        CriterionSpec(
                            "Business model",
                            Decimal("35"),
                            Decimal("0.35"),
                            (
                                "Prices, costs and margins worked out; the model would pay its way.",
                                "Model clear; costs partly worked out.",
                                "Model unclear or costs missing.",
                                "No business model.",
                            ),
                            ((TRADE, "LO2", "0.8"), (PLATFORM, "LO3", "0.5")),
                        ),
                        CriterionSpec(
                            "Team and execution",
                            Decimal("25"),
                            Decimal("0.25"),
                            (
                                "Roles, milestones and budget fit the team; risks have answers.",
                                "Roles and milestones clear.",
                                "Plan vague about who does what and when.",
                                "No plan for execution.",
                            ),
                            ((PLATFORM, "LO4", "0.9"),),
                        ),
                    ),
                ),
            ),
            judges=(("judge", JUDGE_ORGANISATION), ("mentor", content.MENTOR_ORGANISATION)),
        ),
    ),
)

COMPETITIONS = (SHOPEE_CUP, INTERNET_PLUS)

SHOPEE_TEAMS = (
    TeamSpec("丝路先锋", (1, 2, 3, 4), advisor="teacher", mentor="mentor", strength=0.86),
    TeamSpec("Tianshan Traders", (5, 6, 7, 8), advisor="teacher2", strength=0.8),
    TeamSpec("驼铃优选", (9, 10, 11), advisor="teacher", strength=0.74),
    TeamSpec("Horgos Express", (12, 13, 14, 15), advisor="teacher2", strength=0.79, late_tasks=("Shipping",)),
    TeamSpec("天山云仓", (16, 17, 18, 19), advisor="teacher", mentor="mentor", strength=0.7),
    TeamSpec("Silk Wave", (20, 21, 22), advisor="teacher", mentor="mentor", strength=0.66),
)

TEAMS_FORMED_FROM = _at(2026, 3, 3, 10)
SUBMISSIONS_FROM = _at(2026, 4, 6, 10)
LATE_SUBMISSION_AT = _at(2026, 5, 11, 16, 20)
ASSIGNED_AT = _at(2026, 5, 13, 9)
SCORED_FROM = _at(2026, 5, 14, 9)
FINALISED_AT = _at(2026, 5, 19, 17)
AWARDS_BY_RANK = (Award.FIRST, Award.SECOND, Award.THIRD, Award.HONOURABLE)
SCORE_SEED = 2026
SCORE_RANGE = (0.55, 0.95)
COMMENTS = (
    (0.88, "Excellent: ready for a real store as it is."),
    (0.78, "Strong work; small points to polish, see the rubric."),
    (0.68, "Sound, but the reasoning behind some choices is missing."),
    (0.0, "Meets the basics; check the level descriptors for what is missing."),
)


# Pages


def _moment(value: datetime | timedelta, *, now: datetime) -> datetime:
    """A fixed moment as it is; an offset from the start of ``now``'s day in the project's time zone."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time())) + value


def build_competition_index(*, home: Page, editor: AbstractBaseUser) -> CompetitionIndexPage:
    return ensure_teacher_section(
        home=home,
        model=CompetitionIndexPage,
        slug=INDEX_SLUG,
        editor=editor,
        title=INDEX_TITLE,
        introduction=INDEX_INTRODUCTION,
    )


def build_competition(
    spec: CompetitionSpec,
    *,
    index: CompetitionIndexPage,
    courses: dict[str, CoursePage],
    outcomes: dict[tuple[str, str], CourseOutcome],
    staff: dict[str, AbstractBaseUser],
    now: datetime,
) -> tuple[CompetitionPage, dict[str, RoundPage]]:
    """The brief and its rounds, each created and published unless a page with its slug is already there."""
    owner = staff[spec.owner]
    competition = CompetitionPage.objects.child_of(index).filter(slug=spec.slug).first()
    if competition is None:
        competition = CompetitionPage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            organiser=spec.organiser,
            level=spec.level,
            category=spec.category,
            registration_opens=_moment(spec.registration_opens, now=now),
            registration_closes=_moment(spec.registration_closes, now=now),
            min_team_size=spec.min_team_size,
            max_team_size=spec.max_team_size,
            judges_per_entry=spec.judges_per_entry,
            aggregation_method=spec.aggregation_method,
            related_courses=[courses[slug] for slug in spec.related_courses],
            rules=_rules(spec),
            live=False,
            owner=owner,
        )
        index.add_child(instance=competition)
        competition = publish(competition, editor=owner)
    rounds = {
        round_spec.slug: _build_round(
            round_spec, competition=competition, outcomes=outcomes, staff=staff, owner=owner, now=now
        )
        for round_spec in spec.rounds
    }
    return competition, rounds


def _rules(spec: CompetitionSpec) -> list[dict]:
    blocks = []
    for heading, paragraph in spec.rules:
        blocks.append({"type": "heading", "value": heading})
        blocks.append({"type": "paragraph", "value": paragraph})
    return blocks


def _build_round(
    spec: RoundSpec,
    *,
    competition: CompetitionPage,
    outcomes: dict[tuple[str, str], CourseOutcome],
    staff: dict[str, AbstractBaseUser],
    owner: AbstractBaseUser,
    now: datetime,
) -> RoundPage:
    """Panel, tasks, criteria and alignments go in as the page's inline children, so its first revision holds
    them and publishing keeps them (a revision without them would delete them on publish)."""
    round_page = RoundPage.objects.child_of(competition).filter(slug=spec.slug).first()
    if round_page is not None:
        return round_page
    round_page = RoundPage(
        title=spec.title,
        slug=spec.slug,
        kind=spec.kind,
        introduction=spec.introduction,
        opens_at=_moment(spec.opens_at, now=now),
        submission_deadline=_moment(spec.submission_deadline, now=now),
        late_policy=spec.late_policy,
        late_deadline=spec.late_deadline,
        late_penalty_percent=spec.late_penalty_percent,
        advancement_rule=spec.advancement_rule,
        advance_top_n=spec.advance_top_n,
        results_visibility=spec.results_visibility,
        judges=[
            RoundJudge(judge=staff[username], organisation=organisation, sort_order=order)
            for order, (username, organisation) in enumerate(spec.judges)
        ],
        tasks=[_task(task_spec, order=order, outcomes=outcomes) for order, task_spec in enumerate(spec.tasks)],
        live=False,
        owner=owner,
    )
    competition.add_child(instance=round_page)
    return publish(round_page, editor=owner)


def _task(spec: TaskSpec, *, order: int, outcomes: dict[tuple[str, str], CourseOutcome]) -> Task:
    return Task(
        title=spec.title,
        brief=spec.brief,
        deliverables=spec.deliverables,
        max_points=sum((criterion.max_points for criterion in spec.criteria), Decimal("0")),
        sort_order=order,
        criteria=[
            Criterion(
                title=criterion.title,
                weight=criterion.weight,
                max_points=criterion.max_points,
                levels=_levels(criterion),
                sort_order=position,
                alignments=[
                    CriterionAlignment(outcome=outcomes[(slug, code)], weight=Decimal(weight), sort_order=rank)
                    for rank, (slug, code, weight) in enumerate(criterion.alignments)
                ],
            )
            for position, criterion in enumerate(spec.criteria)
        ],
    )


def _levels(spec: CriterionSpec) -> list[dict]:
    """Level descriptors in StreamField's raw form; points as strings, the way the admin stores decimals."""
    return [
        {
            "type": "level",
            "value": {
                "label": label,
                "points": str((spec.max_points * share).quantize(Decimal("1"))),
                "descriptor": descriptor,
            },
        }
        for (label, share), descriptor in zip(LEVELS, spec.descriptors, strict=True)
    ]


# Teams and submissions


def build_teams(
    *, competition: CompetitionPage, staff: dict[str, AbstractBaseUser], students: list[AbstractBaseUser]
) -> list[Team]:
    """The Shopee Cup's teams, formed in March while registration was open.

    The team services refuse changes once registration has closed, so the rows and the guardian rights those
    services would have written are made here, and the timestamps set back to the registration window.
    """
    teams = []
    for position, spec in enumerate(SHOPEE_TEAMS):
        team = Team.objects.filter(competition=competition, name=spec.name).first()
        if team is None:
            team = _form_team(spec, competition=competition, staff=staff, students=students, position=position)
        teams.append(team)
    return teams


def _form_team(
    spec: TeamSpec,
    *,
    competition: CompetitionPage,
    staff: dict[str, AbstractBaseUser],
    students: list[AbstractBaseUser],
    position: int,
) -> Team:
    members = [students[number - 1] for number in spec.members]
    advisor = staff[spec.advisor]
    mentor = staff[spec.mentor] if spec.mentor else None
    formed_at = TEAMS_FORMED_FROM + timedelta(days=2 * position)
    team = Team.objects.create(
        competition=competition, name=spec.name, advisor=advisor, mentor=mentor, created_by=members[0]
    )
    Team.objects.filter(pk=team.pk).update(created_at=formed_at)
    for order, student in enumerate(members):
        membership = TeamMembership.objects.create(team=team, student=student, is_captain=order == 0)
        TeamMembership.objects.filter(pk=membership.pk).update(joined_at=formed_at + timedelta(hours=order))
        grant_membership_rights(team=team, student=student)
    for supervisor in (advisor, mentor):
        if supervisor is not None:
            grant_supervision_rights(team=team, supervisor=supervisor)
    return team


def build_submissions(*, round_page: RoundPage, teams: list[Team]) -> None:
    """Version 1 of every team's work on every task, dated inside the round (late ones inside the late window)."""
    tasks = {task.title: task for task in Task.objects.filter(round=round_page)}
    specs = {task_spec.title: task_spec for task_spec in OPERATION_TASKS}
    done = set(Submission.objects.filter(task__round=round_page).values_list("team_id", "task_id"))
    captains = dict(
        TeamMembership.objects.filter(team__in=teams, is_captain=True, left_at__isnull=True).values_list(
            "team_id", "student_id"
        )
    )
    for position, (team, team_spec) in enumerate(zip(teams, SHOPEE_TEAMS, strict=True)):
        for order, task_spec in enumerate(OPERATION_TASKS):
            task = tasks.get(task_spec.title)
            if task is None or (team.pk, task.pk) in done or team.pk not in captains:
                continue
            late = task_spec.title in team_spec.late_tasks
            submission = Submission.objects.create(
                team=team,
                task=task,
                version=1,
                body=str(sanitise_html(_submission_body(team=team, spec=specs[task.title]))),
                link=f"https://seller.shopee.example.com/{_team_slug(position)}/{task_spec.sample_path}",
                submitted_by_id=captains[team.pk],
                is_late=late,
                late_penalty_percent=round_page.late_penalty_percent if late else Decimal("0"),
            )
            submitted_at = (
                LATE_SUBMISSION_AT
                if late
                else SUBMISSIONS_FROM + timedelta(days=6 * order, hours=3 * position, minutes=7 * position)
            )
            Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted_at)


def _team_slug(position: int) -> str:
    return f"kesai-demo-team-{position + 1}"


def _submission_body(*, team: Team, spec: TaskSpec) -> str:
    return (
        f"<p><b>{escape(team.name)}</b> · {escape(spec.title)}</p>"
        f"<p>{escape(spec.sample_work)}</p>"
        f"<p>Deliverables attached through the link: {escape(spec.deliverables.replace(chr(10), ' '))}</p>"
    )


# Judging and results


def judge_and_finalise(
    *, round_page: RoundPage, teams: list[Team], organiser: AbstractBaseUser
) -> RoundFinalisation | None:
    """Assign judges, score every entry and finalise, unless the round was ever finalised (then leave it be)."""
    if RoundFinalisation.objects.filter(round=round_page).exists():
        return None
    if not JudgeAssignment.objects.filter(task__round=round_page).exists():
        assign_automatically(round_page=round_page, assigned_by=organiser)
        JudgeAssignment.objects.filter(task__round=round_page).update(assigned_at=ASSIGNED_AT)
    _score(round_page=round_page, teams=teams)
    ordered = aggregate_round(round_page=round_page).teams
    awards = {result.team_id: (award, "") for result, award in zip(ordered, AWARDS_BY_RANK, strict=False)}
    finalisation = finalise_round(round_page=round_page, by=organiser, awards=awards)
    RoundFinalisation.objects.filter(pk=finalisation.pk).update(finalised_at=FINALISED_AT)
    return finalisation


def _score(*, round_page: RoundPage, teams: list[Team]) -> None:
    """Seeded points for every active assignment and criterion that has no current score.

    Entries are visited in task, team and judge order and every number is drawn whether or not it is used, so
    the points do not depend on what is already stored.
    """
    rng = random.Random(SCORE_SEED)  # noqa: S311 (demo scores, not secrets)
    strength = {team.pk: spec.strength for team, spec in zip(teams, SHOPEE_TEAMS, strict=True)}
    order = {team.pk: position for position, team in enumerate(teams)}
    scored = set(
        current_scores().filter(assignment__task__round=round_page).values_list("assignment_id", "criterion_id")
    )
    assignments = sorted(
        JudgeAssignment.objects.filter(task__round=round_page, recused_at__isnull=True).select_related("task", "judge"),
        key=lambda a: (a.task.sort_order, order.get(a.team_id, len(order)), a.judge.username),
    )
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(task__round=round_page).order_by("sort_order", "pk"):
        criteria.setdefault(criterion.task_id, []).append(criterion)
    for number, assignment in enumerate(assignments):
        for criterion in criteria.get(assignment.task_id, []):
            share = strength.get(assignment.team_id, 0.75) + rng.gauss(0, 0.05)
            points = _points(share, criterion.max_points)
            if (assignment.pk, criterion.pk) in scored:
                continue
            score = record_score(
                assignment=assignment,
                criterion=criterion,
                points=points,
                comment=_comment(points / criterion.max_points),
                judge=assignment.judge,
                based_on=None,
            )
            Score.objects.filter(pk=score.pk).update(scored_at=SCORED_FROM + timedelta(minutes=11 * number))


def _points(share: float, max_points: Decimal) -> Decimal:
    """Whole points within SCORE_RANGE of the criterion's maximum."""
    low = math.ceil(SCORE_RANGE[0] * float(max_points))
    high = math.floor(SCORE_RANGE[1] * float(max_points))
    return Decimal(min(high, max(low, round(share * float(max_points)))))


def _comment(share: Decimal) -> str:
    return next(text for threshold, text in COMMENTS if share >= Decimal(str(threshold)))


# Everything


def build_competitions(
    *,
    home: Page,
    courses: dict[str, CoursePage],
    staff: dict[str, AbstractBaseUser],
    students: list[AbstractBaseUser],
) -> None:
    now = timezone.now()
    outcomes = {
        (outcome.course.slug, outcome.code): outcome
        for outcome in CourseOutcome.objects.filter(course__in=courses.values()).select_related("course")
    }
    index = build_competition_index(home=home, editor=staff["admin"])
    # Wagtail caches a user's page permissions on the user object; fresh objects see the grant on the index.
    staff = {username: type(user).objects.get(pk=user.pk) for username, user in staff.items()}
    built = {
        spec.slug: build_competition(spec, index=index, courses=courses, outcomes=outcomes, staff=staff, now=now)
        for spec in COMPETITIONS
    }
    shopee_cup, rounds = built[SHOPEE_CUP.slug]
    preliminary = rounds["preliminary"]
    teams = build_teams(competition=shopee_cup, staff=staff, students=students)
    build_submissions(round_page=preliminary, teams=teams)
    judge_and_finalise(round_page=preliminary, teams=teams, organiser=staff[SHOPEE_CUP.owner])
