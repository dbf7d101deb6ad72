"""The security world (tests/security/world.py) with a script-injection payload in everything a person can type.

Values go in through the services where there is one (teams, submissions, scores, recusals, awards, artefacts,
reviews, introductions, evidence, transcripts, links, access, feedback, revocations) and through the ORM where
the input is a Wagtail admin form (page titles, rich text, StreamField blocks, outcomes, tasks, criteria, level
descriptors, branding) or an account setting (first and last names). A field that holds many rows gets every
payload, a row each; a field that holds one value gets one payload (a rich one gets every rich payload in one
document).

Two kinds of Wagtail content:

- the world's course EC101, competition C and round R hold raw payload HTML, as no admin form would save it:
  what the front end shows of them tests the sanitiser on anything the database might hold;
- course EC202 and competition C2 (round R2) hold what the Wagtail admin saves when a teacher types or pastes a
  payload (:func:`as_saved_by_the_admin`): those are the ones opened in the admin's page editor.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from django.utils.html import escape
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Site

from competitions.models import CompetitionPage, Criterion, CriterionAlignment, RoundJudge, RoundPage, Task
from competitions.services.judging import assign_judge, record_score, recuse
from competitions.services.results import finalise_round
from competitions.services.submissions import submit
from competitions.services.teams import create_team, join_team
from courses.models import Competency, CourseOutcome, CourseTeacher, OutcomeAlignment, ProficiencyLevel, TeacherRole
from courses.services import record_evidence
from lms.models import HomePage
from lms.services import grant_course_section
from portfolios.models import ArtefactKind, PortfolioIndexPage, Transcript, Visibility
from portfolios.services import (
    ArtefactInput,
    portfolio_for,
    request_review,
    save_artefact,
    sign_off,
    update_introduction,
)
from portfolios.transcripts import services as transcript_services
from tests.factories import EnrolmentFactory, UserFactory, course_page
from tests.security.payloads import PLAIN_PAYLOADS, Injected, Registry
from tests.security.world import World, _fake_pdf
from tests.upload_payloads import PDF, png_bytes
from themes.models import BrandingSettings

PLAIN_NAMES = [name for name, _template in PLAIN_PAYLOADS]
EDITOR_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


def as_saved_by_the_admin(html: str) -> str:
    """What Wagtail stores for ``html`` pasted into a rich text editor: its own converter, both ways."""
    converter = ContentstateConverter(features=EDITOR_FEATURES)
    return converter.to_database_format(converter.from_database_format(html))


def typed_into_the_editor(text: str) -> str:
    """What Wagtail stores when a teacher types ``text`` (markup and all) into a rich text editor."""
    return f'<p data-block-key="typed">{escape(text)}</p>'


@dataclass
class XssWorld:
    w: World
    reg: Registry = field(default_factory=Registry)
    #: field label → every value stored in it
    fields: dict[str, list[Injected]] = field(default_factory=dict)
    #: role or username → (first name, last name)
    names: dict[str, tuple[Injected, Injected]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def put(self, label: str, values: list[Injected] | Injected) -> list[Injected]:
        values = values if isinstance(values, list) else [values]
        self.fields.setdefault(label, []).extend(values)
        return values

    def one(self, label: str, payload: str) -> Injected:
        return self.put(label, self.reg.one(label, payload))[0]

    def texts(self, *labels: str) -> tuple[str, ...]:
        """Every value of the fields ``labels``, as stored."""
        return tuple(value.text for label in labels for value in self.fields.get(label, []))

    def name_of(self, *keys: str) -> tuple[str, ...]:
        return tuple(part.text for key in keys for part in self.names[key])


def _name(x: XssWorld, user, key: str, first: str, last: str, *, label: str = "") -> None:
    """A person's first and last name, as typed into their account settings."""
    label = f"name of {label or key}"
    user.first_name = x.one(f"first {label}", first).text
    user.last_name = x.one(f"last {label}", last).text
    user.save(update_fields=["first_name", "last_name"])
    x.names[key] = (x.fields[f"first {label}"][-1], x.fields[f"last {label}"][-1])


def _rendered(function, *args, **kwargs):
    """Run a transcript service with WeasyPrint replaced by the world's stand-in, its on-commit work included."""
    from portfolios.transcripts import pdf

    real = pdf.render_transcript_pdf
    pdf.render_transcript_pdf = _fake_pdf
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return function(*args, **kwargs)
    finally:
        pdf.render_transcript_pdf = real


def build_xss_world(w: World) -> XssWorld:
    x = XssWorld(w=w)
    _people(x)
    _curriculum(x)
    _raw_course(x)
    _raw_competition(x)
    _admin_saved_pages(x)
    _teams_and_judging(x)
    _awards(x)
    _portfolio(x)
    _evidence(x)
    _transcripts(x)
    return x


def _people(x: XssWorld) -> None:
    w = x.w
    pairs = {
        "owner": ("script", "quote-break-script"),
        "teacher": ("img-onerror", "single-quote-attribute"),
        "mentor": ("svg-onload", "double-quote-attribute"),
        "judge": ("textarea-break", "title-break"),
        "employer": ("style-expression", "details-ontoggle"),
        "other_teacher": ("dialog", "script"),
        "other_student": ("img-onerror", "svg-onload"),
    }
    for role, (first, last) in pairs.items():
        _name(x, w.users[role], role, first, last)
    _name(x, w.recruiter, "recruiter", "quote-break-script", "textarea-break")
    # Settings › Branding (site administrators): the school's name heads every page and every transcript.
    branding, _created = BrandingSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    branding.school_name = x.one("school name", "title-break").text
    branding.school_name_zh = x.one("school name in Chinese", "script").text
    branding.transcript_footer = x.one("transcript footer", "quote-break-script").text
    branding.save()


def _curriculum(x: XssWorld) -> None:
    """Framework, programme, class and scale (administrators), competencies (teachers may add them)."""
    w, reg = x.w, x.reg
    w.framework.name = x.one("framework name", "svg-onload").text
    w.framework.save(update_fields=["name"])
    w.programme.name = x.one("programme name", "img-onerror").text
    w.programme.save(update_fields=["name"])
    w.cohort.name = x.one("class name", "quote-break-script").text
    w.cohort.save(update_fields=["name"])
    payloads = ("script", "single-quote-attribute", "title-break", "dialog")
    levels = ProficiencyLevel.objects.filter(scale=w.framework.scale).order_by("points")
    for level, payload in zip(levels, payloads, strict=True):
        level.name = x.one("proficiency level name", payload).text
        level.save(update_fields=["name"])
    competencies = [
        Competency.objects.create(framework=w.framework, code=f"K{value.n}", name=value.text, demand_weight=60)
        for value in x.put("competency name", reg.plain("competency name"))
    ]
    competencies += [
        Competency.objects.create(framework=w.framework, code=value.text, name=f"Coded {value.n}", demand_weight=30)
        for value in x.put("competency code", reg.plain("competency code", max_length=32))
    ]
    x.extra["competencies"] = competencies


def _raw_course(x: XssWorld) -> None:
    """EC101 and the pages above it, with raw payload HTML in the database."""
    w, reg = x.w, x.reg
    course = w.course
    course.title = x.one("course title", "title-break").text
    course.summary = x.one("course summary", "quote-break-script").text
    course.term = x.one("course term", "svg-onload").text
    course.syllabus = _syllabus(x, "raw")
    course.draft_title = course.title
    course.save()
    w.lo1.description = x.one("outcome description", "script").text
    w.lo1.save(update_fields=["description"])
    for number, value in enumerate(x.put("outcome description", reg.plain("outcome description")), start=2):
        made = CourseOutcome.objects.create(
            course=course, code=f"LO{number}", description=value.text, sort_order=number
        )
        OutcomeAlignment.objects.create(outcome=made, competency=w.trade, weight=Decimal("0.5"))
    index = course.get_parent().specific
    grant_course_section(section=index)  # the school's teachers edit its course pages
    index.introduction = x.put("course index introduction", reg.rich_all("course index introduction"))[0].text
    index.save()
    x.extra["course_index"] = index
    home = HomePage.objects.get(pk=index.get_parent().pk)
    home.introduction = x.put("home page introduction", reg.rich_all("home page introduction"))[0].text
    home.save()
    portfolios = PortfolioIndexPage.objects.get()
    portfolios.introduction = x.put("portfolio index introduction", reg.rich_all("portfolio index introduction"))[
        0
    ].text
    portfolios.save()


def _syllabus(x: XssWorld, how: str) -> list:
    """A syllabus (or a competition's rules) of headings, paragraphs and teaching units, every payload once."""
    reg = x.reg
    prefix = "" if how == "raw" else "admin-saved "
    headings = x.put(f"{prefix}syllabus heading", reg.plain(f"{prefix}syllabus heading"))
    unit_titles = x.put(f"{prefix}teaching unit title", reg.plain(f"{prefix}teaching unit title"))
    if how == "raw":
        paragraphs = [value.text for value in x.put("syllabus paragraph", reg.rich("syllabus paragraph"))]
        topics = [value.text for value in x.put("teaching unit topics", reg.rich("teaching unit topics"))]
    else:
        pasted = x.put("admin-saved syllabus paragraph", reg.rich("admin-saved syllabus paragraph", kind="admin-rich"))
        typed = x.put("admin-saved typed paragraph", reg.plain("admin-saved typed paragraph"))
        paragraphs = [as_saved_by_the_admin(value.text) for value in pasted]
        topics = [typed_into_the_editor(value.text) for value in typed]
    return (
        [("heading", value.text) for value in headings]
        + [("paragraph", html) for html in paragraphs]
        + [
            ("unit", {"title": title.text, "hours": 4, "practice": True, "topics": html})
            for title, html in zip(unit_titles, topics, strict=False)
        ]
    )


def _raw_competition(x: XssWorld) -> None:
    w, reg = x.w, x.reg
    competition = w.competition
    competition.title = x.one("competition title", "img-onerror").text
    competition.organiser = x.one("competition organiser", "title-break").text
    competition.summary = x.one("competition summary", "single-quote-attribute").text
    competition.rules = [("heading", value.text) for value in x.put("rules heading", reg.plain("rules heading"))] + [
        ("paragraph", value.text) for value in x.put("rules paragraph", reg.rich("rules paragraph"))
    ]
    competition.max_team_size = 40
    competition.draft_title = competition.title
    competition.save()
    index = competition.get_parent().specific
    index.introduction = x.put("competition index introduction", reg.rich_all("competition index introduction"))[0].text
    index.save()
    w.round.title = x.one("round title", "quote-break-script").text
    w.round.introduction = x.put("round introduction", reg.rich_all("round introduction"))[0].text
    w.round.draft_title = w.round.title
    w.round.save()
    w.task.title = x.one("task title", "textarea-break").text
    w.task.brief = x.put("task brief", reg.rich_all("task brief"))[0].text
    w.task.deliverables = x.one("task deliverables", "script").text
    w.task.save()
    w.criterion.title = x.one("criterion title", "svg-onload").text
    w.criterion.levels = _levels(x, "level descriptor")
    w.criterion.save()


def _levels(x: XssWorld, label: str) -> list:
    labels = x.put(f"{label} label", x.reg.plain(f"{label} label"))
    descriptors = x.put(f"{label} text", x.reg.plain(f"{label} text"))
    return [
        ("level", {"label": name.text, "points": Decimal("5"), "descriptor": text.text})
        for name, text in zip(labels, descriptors, strict=True)
    ]


def _admin_saved_pages(x: XssWorld) -> None:
    """EC202, and C2 with round R2, as the Wagtail admin would have saved what a teacher typed or pasted."""
    w = x.w
    course = course_page(index=x.extra["course_index"], code="EC202", title="placeholder")
    course.title = x.one("admin-saved course title", "quote-break-script").text
    course.summary = x.one("admin-saved course summary", "title-break").text
    course.term = x.one("admin-saved course term", "textarea-break").text
    course.syllabus = _syllabus(x, "admin")
    course.draft_title = course.title
    course.save()
    CourseTeacher.objects.create(course=course, user=w.users["teacher"], role=TeacherRole.TEACHER)
    CourseTeacher.objects.create(
        course=course,
        user=w.users["mentor"],
        role=TeacherRole.MENTOR,
        organisation=x.one("course mentor organisation", "double-quote-attribute").text,
    )
    for number, value in enumerate(
        x.put("admin-saved outcome description", x.reg.plain("admin-saved outcome description")), start=1
    ):
        made = CourseOutcome.objects.create(
            course=course, code=f"LO{number}", description=value.text, sort_order=number
        )
        OutcomeAlignment.objects.create(outcome=made, competency=w.trade, weight=Decimal("0.5"))
    x.extra["admin_course"] = course

    now = timezone.now()
    competition = w.competition.get_parent().add_child(
        instance=CompetitionPage(
            title=x.one("admin-saved competition title", "details-ontoggle").text,
            slug="xss-admin-saved",
            organiser=x.one("admin-saved competition organiser", "script").text,
            summary=x.one("admin-saved competition summary", "double-quote-attribute").text,
            level="provincial",
            category="skills",
            registration_opens=now - timedelta(days=1),
            registration_closes=now + timedelta(days=10),
            rules=[
                ("heading", x.one("admin-saved rules heading", "details-ontoggle").text),
                ("paragraph", typed_into_the_editor(x.one("admin-saved rules paragraph", "img-onerror").text)),
                (
                    "paragraph",
                    as_saved_by_the_admin(
                        x.put("admin-saved rules", x.reg.rich_all("admin-saved rules", kind="admin-rich"))[0].text
                    ),
                ),
            ],
        )
    )
    round_page = competition.add_child(
        instance=RoundPage(
            title=x.one("admin-saved round title", "svg-onload").text,
            slug="xss-admin-saved-round",
            opens_at=now - timedelta(days=1),
            submission_deadline=now + timedelta(days=5),
            introduction=typed_into_the_editor(x.one("admin-saved round introduction", "textarea-break").text),
        )
    )
    RoundJudge.objects.create(
        round=round_page,
        judge=w.users["judge"],
        organisation=x.one("judge organisation", "single-quote-attribute").text,
    )
    task = Task.objects.create(
        round=round_page,
        title=x.one("admin-saved task title", "title-break").text,
        brief=typed_into_the_editor(x.one("admin-saved task brief", "quote-break-script").text),
        deliverables=x.one("admin-saved task deliverables", "textarea-break").text,
        max_points=100,
    )
    criterion = Criterion.objects.create(
        task=task,
        title=x.one("admin-saved criterion title", "style-expression").text,
        weight=Decimal("1"),
        max_points=Decimal("10"),
        levels=_levels(x, "admin-saved level descriptor"),
    )
    CriterionAlignment.objects.create(criterion=criterion, outcome=w.lo1, weight=Decimal("1"))
    x.extra.update(admin_competition=competition, admin_round=round_page)


def _teams_and_judging(x: XssWorld) -> None:
    w, reg = x.w, x.reg
    users = w.users
    teacher, mentor, judge = users["teacher"], users["mentor"], users["judge"]
    members = []
    for number, first in enumerate(PLAIN_NAMES):  # team T: the owner and a member per payload
        student = UserFactory(username=f"xss.member{number}", roles=["Students"])
        _name(x, student, student.username, first, PLAIN_NAMES[(number + 3) % len(PLAIN_NAMES)], label="a member")
        EnrolmentFactory(cohort=w.cohort, student=student)
        join_team(invite_code=w.team.invite_code, student=student)
        members.append(student)
    w.team.name = x.one("team name", "title-break").text  # as its captain typed it
    w.team.save(update_fields=["name"])
    x.extra["members"] = members

    team_names = x.put("team name", reg.plain("team name", max_length=120))
    bodies = x.put("submission text", reg.rich("submission text"))
    file_names = x.put("submission file name", reg.plain("submission file name", slashes=False))
    links = x.put("submission link", [_href_breakout(reg) for _name_value in team_names])
    teams, submissions, captains = [], [], {}
    for number, name in enumerate(team_names):  # a team per payload, each with its own captain and entry
        captain = UserFactory(username=f"xss.captain{number}", roles=["Students"])
        _name(
            x,
            captain,
            captain.username,
            PLAIN_NAMES[(number + 5) % len(PLAIN_NAMES)],
            PLAIN_NAMES[number],
            label="a captain",
        )
        EnrolmentFactory(cohort=w.cohort, student=captain)
        team = create_team(
            competition=w.competition, name=name.text, created_by=captain, advisor=teacher, mentor=mentor
        )
        captains[team.pk] = captain
        teams.append(team)
        submissions.append(
            submit(
                team=team,
                task=w.task,
                submitted_by=captain,
                body_html=bodies[number].text,
                file=SimpleUploadedFile(file_names[number % len(file_names)].text + ".pdf", PDF, "application/pdf"),
                link=links[number].text,
            )
        )
    for body in bodies[len(team_names) :]:  # more rich payloads than teams: later versions of the first entry
        submissions.append(submit(team=teams[0], task=w.task, submitted_by=captains[teams[0].pk], body_html=body.text))
    w.submission = submit(
        team=w.team,
        task=w.task,
        submitted_by=w.owner,
        body_html=x.put("submission text", reg.rich_all("submission text"))[0].text,
    )
    x.extra.update(teams=teams, submissions=submissions, captains=captains)

    comments = x.put("score comment", reg.plain("score comment"))
    assignments = [w.assignment] + [
        assign_judge(task=w.task, team=team, judge=judge, assigned_by=teacher) for team in teams
    ]
    for assignment, comment in zip(assignments, comments, strict=False):
        record_score(
            assignment=assignment,
            criterion=w.criterion,
            points=Decimal("7"),
            comment=comment.text,
            judge=judge,
            based_on=None,
        )
    x.extra["assignments"] = assignments
    x.extra["comment_of"] = {assignment.pk: comment for assignment, comment in zip(assignments, comments, strict=False)}
    second = UserFactory(username="xss.judge2", roles=["Judges"])
    _name(x, second, "second judge", "img-onerror", "script")
    RoundJudge.objects.create(round=w.round, judge=second)
    recused = assign_judge(task=w.task, team=teams[1], judge=second, assigned_by=teacher)
    recuse(assignment=recused, reason=x.one("recusal reason", "textarea-break").text, by=second)


def _href_breakout(reg: Registry) -> Injected:
    """A valid https URL (the only kind the service accepts besides http) that tries to break out of the href."""
    template = "https://example.com/xq{n}\"><script>window.__xss={n}</script>?a='onmouseover='window.__xss={n}"
    return reg.custom("submission link", "href break-out", template, "url")


def _awards(x: XssWorld) -> None:
    """A finalised round with custom award titles: awards reach the evidence ledger, portfolios and transcripts."""
    w = x.w
    now = timezone.now()
    final = w.competition.add_child(
        instance=RoundPage(
            title=x.one("round title", "img-onerror").text,
            slug="xss-awards",
            opens_at=now - timedelta(days=2),
            submission_deadline=now + timedelta(days=5),
            introduction="<p>Awards</p>",
        )
    )
    judge = w.users["judge"]
    RoundJudge.objects.create(round=final, judge=judge)
    task = Task.objects.create(
        round=final, title=x.one("task title", "svg-onload").text, brief="<p>Final</p>", max_points=100
    )
    criterion = Criterion.objects.create(
        task=task,
        title=x.one("criterion title", "double-quote-attribute").text,
        weight=Decimal("1"),
        max_points=Decimal("10"),
    )
    CriterionAlignment.objects.create(criterion=criterion, outcome=w.lo1, weight=Decimal("1"))
    awarded = [w.team, *x.extra["teams"]]
    titles = x.put("award title", x.reg.plain("award title", max_length=120))
    for team in awarded:
        submit(
            team=team,
            task=task,
            submitted_by=x.extra["captains"].get(team.pk, w.owner),
            body_html="<p>Final entry</p>",
        )
        entry = assign_judge(task=task, team=team, judge=judge, assigned_by=w.users["teacher"])
        record_score(assignment=entry, criterion=criterion, points=Decimal("9"), comment="", judge=judge, based_on=None)
    finalise_round(
        round_page=final,
        by=w.users["teacher"],
        awards={team.pk: ("custom", title.text) for team, title in zip(awarded, titles, strict=False)},
    )
    x.extra["final_round"] = final
    x.extra["owner_award"] = titles[0]


def _portfolio(x: XssWorld) -> None:
    """The owner's artefacts of every kind (each payload in each field), reviews with comments, the introduction."""
    w, reg = x.w, x.reg
    owner, teacher, mentor = w.owner, w.users["teacher"], w.users["mentor"]
    today = timezone.localdate()
    competencies = x.extra["competencies"]
    descriptions = x.put("artefact description", reg.rich("artefact description"))
    issuers = x.put("certificate issuer", reg.plain("certificate issuer", max_length=160))
    numbers = x.put("certificate number", reg.plain("certificate number", max_length=80))
    enterprises = x.put("internship enterprise", reg.plain("internship enterprise", max_length=160))
    platforms = x.put("practice platform", reg.plain("practice platform", max_length=120))
    images = x.put("artefact file name", reg.plain("artefact file name", slashes=False))
    titles = {
        kind: x.put(f"{kind} title", reg.plain(f"{kind} title")) for kind in ("certificate", "internship", "practice")
    }
    visibilities = [Visibility.PUBLIC, Visibility.EMPLOYERS, Visibility.REVIEWERS]
    kinds = {"certificate": [], "internship": [], "practice": [], "reflection": []}
    x.extra["artefacts"] = kinds
    x.extra["visibility"] = {}
    for number in range(len(PLAIN_NAMES)):
        visibility = visibilities[number % len(visibilities)]
        done_on = today - timedelta(days=number + 1)
        made = {
            "certificate": ArtefactInput(
                title=titles["certificate"][number].text,
                done_on=done_on,
                body=descriptions[number].text,
                issuer=issuers[number % len(issuers)].text,
                certificate_number=numbers[number % len(numbers)].text,
                competencies=[competencies[number % len(competencies)]],
            ),
            "internship": ArtefactInput(
                title=titles["internship"][number].text,
                done_on=done_on,
                body=descriptions[(number + 1) % len(descriptions)].text,
                enterprise=enterprises[number % len(enterprises)].text,
                mentor=mentor,
                competencies=[w.trade],
            ),
            "practice": ArtefactInput(
                title=titles["practice"][number].text,
                done_on=done_on,
                body=descriptions[(number + 2) % len(descriptions)].text,
                platform=platforms[number % len(platforms)].text,
                hours=Decimal("12.5"),
            ),
        }
        for kind, data in made.items():
            artefact = save_artefact(
                student=owner,
                kind=kind,
                data=data,
                file=SimpleUploadedFile(images[number % len(images)].text + ".png", png_bytes(), "image/png")
                if kind == "certificate"
                else None,
                visibility=visibility,
            )
            kinds[kind].append(artefact)
            x.extra["visibility"][artefact.pk] = visibility
    for description in descriptions[len(PLAIN_NAMES) :]:
        kinds["reflection"].append(
            save_artefact(
                student=owner,
                kind=ArtefactKind.REFLECTION,
                data=ArtefactInput(title="Reflection", done_on=today, body=description.text),
                visibility=Visibility.PUBLIC,
            )
        )
    # The teacher signs off every other certificate, the mentor every other internship, each with a payload
    # comment; the rest wait in their review queues.
    comments = iter(reg.plain("review comment") + reg.plain("review comment"))
    mastery = ProficiencyLevel.objects.get(scale=w.framework.scale, is_mastery=True)
    x.extra["signed"], x.extra["review_comment_of"] = [], {}
    for number, pair in enumerate(zip(kinds["certificate"], kinds["internship"], strict=True)):
        for artefact, reviewer in zip(pair, (teacher, mentor), strict=True):
            request_review(artefact=artefact, student=owner)
            if number % 2 == 0:
                comment = x.put("review comment", next(comments))[0]
                sign_off(artefact=artefact, reviewer=reviewer, verdict="meets", level=mastery, comment=comment.text)
                x.extra["signed"].append(artefact)
                x.extra["review_comment_of"][artefact.pk] = comment
    portfolio = portfolio_for(student=owner)
    portfolio.title = x.one("portfolio title", "svg-onload").text
    update_introduction(
        portfolio=portfolio,
        student=owner,
        introduction=x.put("portfolio introduction", reg.rich_all("portfolio introduction"))[0].text,
        overview_visibility=Visibility.PUBLIC,
    )
    w.portfolio = portfolio


def _evidence(x: XssWorld) -> None:
    """Evidence rows on the payload competencies, with source titles and notes as the other apps write them."""
    w, reg = x.w, x.reg
    sources = x.put("evidence source title", reg.plain("evidence source title"))
    notes = x.put("evidence note", reg.plain("evidence note"))
    for number, competency in enumerate(x.extra["competencies"]):
        for student in (w.owner, *x.extra["members"][:3]):
            record_evidence(
                student=student,
                competency=competency,
                score=Decimal(3 + number % 2),
                done_on=date(2026, 3, 1) + timedelta(days=number),
                source_kind="internship",
                source_title=sources[number % len(sources)].text,
                note=notes[number % len(notes)].text,
                recorded_by=w.users["teacher"],
            )


def _transcripts(x: XssWorld) -> None:
    """Revoked versions with reasons, the current one with links, accesses and feedback, and the class's batch."""
    w, reg = x.w, x.reg
    owner, employer, teacher = w.owner, w.users["employer"], w.users["teacher"]
    revoked = []
    for reason in x.put("revocation reason", reg.plain("revocation reason")):
        issued = _rendered(transcript_services.issue_transcript, student=owner, issued_by=owner, language="en")
        revoked.append(transcript_services.revoke_transcript(transcript=issued, revoked_by=teacher, reason=reason.text))
    current = _rendered(transcript_services.issue_transcript, student=owner, issued_by=owner, language="en")
    current.refresh_from_db()
    assert current.pdf and current.revoked_at is None, "the transcript should be rendered"
    transcript_services.grant_to_employer(transcript=current, student=owner, employer=employer)
    tokens = []
    for label in x.put("link label", reg.plain("link label", max_length=120)):
        link, token = transcript_services.create_link(
            transcript=current, student=owner, expires_at=timezone.now() + timedelta(days=20), label=label.text
        )
        transcript_services.record_access(transcript=current, kind="view", link=link)
        tokens.append(token)
    transcript_services.record_access(transcript=current, kind="view", user=employer)
    comments = x.put("feedback comment", reg.plain("feedback comment"))
    for row, comment in zip(current.snapshot["competencies"], comments, strict=False):
        transcript_services.give_feedback(
            transcript=current,
            employer=employer,
            competency=Competency.objects.get(pk=row["id"]),
            importance=4,
            comment=comment.text,
        )
    batch = _rendered(transcript_services.issue_for_cohort, cohort=w.cohort, issued_by=teacher)
    x.extra.update(
        transcript=current,
        tokens=tokens,
        revoked=revoked,
        batch=batch,
        owner_latest=Transcript.objects.get(student=owner, superseded_by__isnull=True),
    )
