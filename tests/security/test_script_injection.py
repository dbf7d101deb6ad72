"""Script injection, in a real browser: a payload in everything a person can type, on every page that shows it.

The security world (tests/security/world.py) is built once for the module and given a payload in every field
people type into (tests/security/xss_world.py): names, team names, submissions (text, file name, link), score
comments, recusal reasons, award titles, artefacts (title, description HTML, issuer, number, enterprise,
platform, file name), review comments, the portfolio's introduction HTML, evidence titles and notes, link
labels, feedback, revocation reasons, the Wagtail pages teachers edit (titles, rich text, StreamField blocks,
outcomes, tasks, criteria, level descriptors) and the school's branding. Chromium (Debian's) then opens every
page that shows them, as each person who would see it: the student who owns them, the class teacher, the
enterprise mentor, the judge, an employer with a grant and someone holding only a secret link.

A page passes when, after loading, hovering and clicking what the payloads put there:

- ``window.__xss`` is undefined and no dialog opened (DESIGN.md's safety rule: user text is escaped, user HTML
  goes through the one sanitiser);
- the DOM holds no live markup from a payload (event handler, script, javascript: or data: URL, style, frame,
  base or meta refresh), nor does the HTML inside any text area that holds stored rich text;
- plain payloads read back character for character, as text or as a form value;
- what was rich text shows its words but none of its code.

A second set of tests types payloads through the forms themselves (team, submission, artefact, introduction,
link, feedback, revocation, scoring, recusal, verification, the Wagtail page editor, an SVG upload), and a
third loads the transcript's print HTML (what WeasyPrint turns into the PDF) with payloads in its names.

Playwright runs in a thread of its own and the live server shares the test's database connection
(tests/security/xss_browser.py explains why); the world is rolled back when the module ends.
"""

import copy
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.utils import timezone

from competitions.models import JudgeAssignment, Score, Submission, Team
from portfolios.models import ArtefactVersion, PortfolioPage, Transcript, TranscriptFeedback, TranscriptLink
from portfolios.transcripts.pdf import transcript_html
from portfolios.transcripts.services import verification_url
from tests.security.payloads import Injected, Registry
from tests.security.xss_browser import BrowserThread, Seen, SharedConnectionServer, Visit, look, run_steps, show_html
from tests.security.xss_world import XssWorld, build_xss_world
from tests.upload_payloads import PDF, SVG_WITH_SCRIPT, png_bytes
from themes.templatetags.themes_tags import rich_text

# Marked "browser" (scripts/test runs these with the Playwright journeys) but, except for one transactional test,
# not "django_db": each module builds its world once, inside a transaction rolled back at the end, after restoring
# the migrated contents if a transactional test flushed the database before it (``_database``).
pytestmark = pytest.mark.browser

#: What the upload validator says to an SVG (courses.uploads).
REFUSED = "SVG images and XML files cannot be uploaded"

#: Reflected input: what the address bar can carry into a page.
REFLECTED = '"><svg onload=window.__xss=1>'


# --- Fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """tests/browser's Playwright (when it ran first) keeps an event loop in this thread, and Django would then
    refuse the ORM here; the ORM is only ever used from this thread, Playwright only from its own."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _marked_for_the_database_once_ordered(request):
    """Mark this module's tests ``django_db`` now that pytest-django has ordered them last (and before it sets up
    the test database, a session fixture too): it then creates the database when they are the only tests, and
    wraps each of them in a transaction like any database test."""
    for item in request.session.items:
        if item.path == Path(__file__) and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="module")
def _database(_orm_beside_playwright, django_db_setup, django_db_blocker):
    """The database for the module's browser tests, in one transaction rolled back at the end; the migrated
    contents are restored first if the transactional tests before them flushed them."""
    unblocked = django_db_blocker.unblock()
    unblocked.__enter__()
    outer = transaction.atomic()
    outer.__enter__()
    try:
        if not ContentType.objects.exists():
            _restore_migrated_contents()
    except BaseException:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        unblocked.__exit__(None, None, None)
        raise
    yield
    transaction.set_rollback(True)
    outer.__exit__(None, None, None)
    unblocked.__exit__(None, None, None)
    ContentType.objects.clear_cache()


def _restore_migrated_contents() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    assert contents is not None, "the database was flushed and pytest-django kept no copy of its contents"
    connection.creation.deserialize_db_from_string(contents)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def world_with_payloads(_database, world) -> XssWorld:
    return build_xss_world(world)


@pytest.fixture
def xw(world_with_payloads, _database) -> Iterator[XssWorld]:
    """The world with its payloads; what a test (or the browser, through the shared connection) changes in it is
    undone after the test."""
    with transaction.atomic():
        yield world_with_payloads
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def server(django_db_setup):
    live = SharedConnectionServer()
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def chromium():
    thread = BrowserThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def tally(request, world_with_payloads):
    """Pages opened and payload values found on them, reported once the module is done."""
    counts = {"pages": 0, "renderings": 0}
    yield counts
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and counts["pages"]:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nscript injection: {len(world_with_payloads.reg.values)} payload values stored or typed, "
                f"{counts['pages']} pages checked in chromium, {counts['renderings']} values found rendered on "
                "them (value × page)"
            )


def session_cookie(user, server) -> list[dict]:
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]


# --- Judging what a page did -----------------------------------------------------------------------------------

_RAN = re.compile(r"__xss=(\d+)|alert\((\d+)\)")


def problems(x: XssWorld, who: str, seen: list[Seen], tally: dict | None = None) -> list[str]:
    """Everything wrong with the pages ``seen``, each naming the page, the field and the payload."""
    found = []
    for page in seen:
        where = f"{who} {page.visit.path}"
        if page.visit.status is not None and page.status is not None and page.status != page.visit.status:
            found.append(f"{where}: answered {page.status}, expected {page.visit.status}")
        if page.sentinel is not None:
            found.append(f"{where}: A PAYLOAD RAN: {x.reg.describe(page.sentinel)}")
        for dialog in page.dialogs:
            numbers = re.findall(r"\d+", dialog)
            found.append(
                f"{where}: A PAYLOAD OPENED A DIALOG ({dialog}): {x.reg.describe(numbers[0] if numbers else '')}"
            )
        for finding in page.dom:
            numbers = [a or b for a, b in _RAN.findall(finding)]
            named = "; ".join(x.reg.describe(n) for n in dict.fromkeys(numbers)) or "no value of ours named"
            found.append(f"{where}: live markup from a payload: {finding} [{named}]")
        for value in page.missing_texts:
            found.append(f"{where}: not shown as text: {_named(x, value)}")
        for value in page.missing_values:
            found.append(f"{where}: not kept as a form value: {_named(x, value)}")
        tokens = x.reg.tokens_in(page.html)
        for n in tokens:
            value = x.reg.values[n]
            if value.kind == "rich" and (f"__xss={n}" in page.text or f"alert({n})" in page.text):
                found.append(f"{where}: rich text shown as code instead of sanitised away: {x.reg.describe(n)}")
        if tally is not None:
            tally["pages"] += 1
            tally["renderings"] += len(tokens)
    return found


def _named(x: XssWorld, text: str) -> str:
    numbers = x.reg.tokens_in(text)
    return x.reg.describe(min(numbers)) if numbers else repr(text[:120])


def check_pages(x, who, user, visits, server, chromium, tally) -> None:
    seen = chromium.call(look, server.url, session_cookie(user, server), visits)
    assert len(seen) == len(visits)
    found = problems(x, who, seen, tally)
    assert not found, "\n".join(found)


# --- What each person opens ------------------------------------------------------------------------------------


def owner_pages(x: XssWorld) -> list[Visit]:
    w, e = x.w, x.extra
    me, teacher, mentor = x.name_of("owner"), x.name_of("teacher"), x.name_of("mentor")
    members = x.texts("first name of a member", "last name of a member")
    certificates, practices = e["artefacts"]["certificate"], e["artefacts"]["practice"]
    shown_on_portfolio = x.texts(
        "certificate title",
        "internship title",
        "practice title",
        "certificate issuer",
        "internship enterprise",
        "practice platform",
        "review comment",
        "competency name",
        "evidence source title",
        "portfolio title",
    ) + (e["owner_award"].text,)
    transcript_texts = x.texts("competency name", "evidence source title", "programme name", "framework name")
    pages = [
        Visit("/compete/", texts=(x.fields["team name"][0].text, *x.texts("competition title"), *me, *teacher)),
        Visit(
            f"/compete/teams/{w.team.pk}/",
            texts=(x.fields["team name"][0].text, *me, *teacher, *mentor, *members, *x.texts("round title")),
        ),
        Visit(
            f"/compete/teams/{w.team.pk}/tasks/{w.task.pk}/submit/",
            texts=(w.task.title, w.task.deliverables, w.round.title, x.fields["team name"][0].text),
        ),
        Visit(f"/compete/submissions/{w.submission.pk}/", texts=(w.task.title, w.round.title, *me)),
        Visit(f"/compete/teams/{w.team.pk}/supervisors/", values=(*teacher, *mentor)),
        Visit("/compete/join/?code=" + quote(REFLECTED, safe=""), values=(REFLECTED,)),
        Visit("/portfolio/", texts=shown_on_portfolio),  # redirects to the portfolio page
        Visit("/portfolio/introduction/", html_fields=("introduction",)),
        Visit("/portfolio/sharing/", texts=x.name_of("employer")),
        Visit("/portfolio/artefacts/new/certificate/", texts=x.texts("competency name")),
        Visit(f"/transcripts/{e['transcript'].pk}/", texts=(*transcript_texts, *x.texts("link label"))),
        Visit(f"/transcripts/{e['revoked'][0].pk}/", texts=(x.fields["revocation reason"][0].text, *me)),
        Visit("/transcripts/", texts=me),
        Visit("/me/competencies/", texts=x.texts("competency name", "evidence source title")),
        Visit("/", texts=(w.course.title, w.course.summary, *x.texts("school name"))),
    ]
    for artefact in (certificates[0], certificates[1], certificates[4]):
        version = artefact.current_version
        texts = (version.title, version.issuer, version.certificate_number, version.original_filename)
        if artefact.pk in e["review_comment_of"]:
            texts += (e["review_comment_of"][artefact.pk].text,)
        pages.append(Visit(f"/portfolio/artefacts/{artefact.pk}/", texts=texts))
    for artefact in (practices[0], certificates[2]):
        version = artefact.current_version
        values = (version.title, version.platform or version.issuer)
        pages.append(Visit(f"/portfolio/artefacts/{artefact.pk}/edit/", values=values, html_fields=("body",)))
    return pages


def teacher_pages(x: XssWorld) -> list[Visit]:
    w, e = x.w, x.extra
    owner = x.name_of("owner")
    students = x.texts(
        "first name of a member", "last name of a member", "first name of a captain", "last name of a captain"
    )
    waiting = [a for a in e["artefacts"]["certificate"] if a not in e["signed"]]
    signed = e["signed"][0]
    admin_course, admin_competition, admin_round = e["admin_course"], e["admin_competition"], e["admin_round"]
    return [
        Visit("/admin/", texts=(*x.name_of("teacher"), *x.texts("class name"))),
        Visit("/admin/portfolios/reviews/", texts=(*owner, *(a.current_version.title for a in waiting))),
        Visit(
            f"/admin/portfolios/reviews/{waiting[0].pk}/",
            texts=(*owner, waiting[0].current_version.title, waiting[0].current_version.issuer),
        ),
        Visit(f"/admin/portfolios/reviews/{signed.pk}/", texts=(e["review_comment_of"][signed.pk].text,)),
        Visit(
            f"/admin/analytics/attainment/?cohort={w.cohort.pk}",
            texts=(*students, *owner, *x.texts("competency name")),
        ),
        Visit(f"/admin/analytics/terms/?cohort={w.cohort.pk}", texts=x.texts("competency name")),
        Visit(f"/admin/analytics/demand/?programme={w.programme.pk}", texts=x.texts("competency name")),
        Visit("/admin/analytics/alignment/", texts=(*x.texts("competency name"), *x.texts("outcome description"))),
        Visit("/admin/evidence/", texts=(*students[:4], *x.texts("award title"))),
        Visit(f"/admin/transcripts/classes/{w.cohort.pk}/", texts=(*students, *owner)),
        Visit(f"/admin/transcripts/students/{w.owner.pk}/", texts=x.texts("revocation reason")),
        Visit(f"/admin/transcripts/batches/{e['batch'].pk}/", texts=x.texts("class name")),
        Visit(
            f"/admin/competitions/rounds/{w.round.pk}/judging/",
            texts=(*x.texts("team name"), *x.name_of("judge", "second judge"), *x.texts("recusal reason")),
        ),
        Visit(f"/admin/competitions/rounds/{e['final_round'].pk}/results/", texts=x.texts("team name", "award title")),
        Visit(
            f"/admin/pages/{admin_course.pk}/edit/",
            values=(
                admin_course.title,
                admin_course.summary,
                admin_course.term,
                *x.texts("admin-saved outcome description", "course mentor organisation"),
            ),
        ),
        Visit(
            f"/admin/pages/{admin_competition.pk}/edit/",
            values=(admin_competition.title, admin_competition.organiser, admin_competition.summary),
        ),
        Visit(
            f"/admin/pages/{admin_round.pk}/edit/",
            values=(
                admin_round.title,
                *x.texts(
                    "admin-saved task title",
                    "admin-saved task deliverables",
                    "admin-saved criterion title",
                    "judge organisation",
                ),
            ),
        ),
        Visit(f"/admin/pages/{e['course_index'].pk}/", texts=(w.course.title, admin_course.title)),
        Visit(f"/admin/pages/{admin_competition.get_parent().pk}/", texts=(w.competition.title,)),
        Visit("/admin/snippets/courses/competency/", texts=x.texts("competency name", "competency code")),
        Visit("/admin/pages/search/?q=" + quote(REFLECTED, safe=""), values=(REFLECTED,)),
        Visit(f"/compete/teams/{e['teams'][0].pk}/", texts=(x.fields["team name"][1].text,)),
        Visit(
            f"/compete/submissions/{e['submissions'][0].pk}/",
            texts=(x.fields["submission file name"][0].text, x.fields["submission link"][0].text),
        ),
        Visit(w.portfolio.url, texts=(*owner, *x.texts("certificate title", "review comment"))),
        Visit(f"/transcripts/{e['transcript'].pk}/", texts=(*owner, *x.texts("competency name"))),
    ]


def mentor_pages(x: XssWorld) -> list[Visit]:
    e = x.extra
    waiting = [a for a in e["artefacts"]["internship"] if a not in e["signed"]]
    return [
        Visit("/admin/", texts=x.name_of("mentor")),
        Visit("/admin/portfolios/reviews/", texts=tuple(a.current_version.title for a in waiting)),
        Visit(
            f"/admin/portfolios/reviews/{waiting[0].pk}/",
            texts=(waiting[0].current_version.title, waiting[0].current_version.enterprise),
        ),
        Visit(f"/compete/teams/{e['teams'][1].pk}/", texts=(x.fields["team name"][2].text,)),
        Visit(e["admin_course"].url, texts=x.texts("course mentor organisation")),
    ]


def judge_pages(x: XssWorld) -> list[Visit]:
    w, e = x.w, x.extra
    rubric = x.texts("level descriptor label", "level descriptor text")
    pages = [Visit("/judging/", texts=(*x.texts("team name"), *x.name_of("judge")))]
    for assignment in e["assignments"][:3]:
        pages.append(
            Visit(
                f"/judging/assignments/{assignment.pk}/",
                texts=(assignment.team.name, w.task.title, w.task.deliverables, w.criterion.title, *rubric),
                values=(e["comment_of"][assignment.pk].text,),
            )
        )
    recusing = e["assignments"][2]
    pages.append(Visit(f"/judging/assignments/{recusing.pk}/recuse/", texts=(recusing.team.name,)))
    pages.append(Visit("/admin/", texts=x.name_of("judge")))
    return pages


def employer_pages(x: XssWorld) -> list[Visit]:
    w, e = x.w, x.extra
    visible = [a for a in e["artefacts"]["certificate"] if e["visibility"][a.pk] in ("public", "employers")]
    return [
        Visit("/portfolio/shared-with-me/", texts=x.name_of("owner")),
        Visit(w.portfolio.url, texts=(*x.name_of("owner"), *(a.current_version.title for a in visible))),
        Visit(f"/transcripts/{e['transcript'].pk}/", texts=x.texts("feedback comment", "competency name")),
        Visit(f"/transcripts/{e['owner_latest'].pk}/", texts=(*x.name_of("owner"), *x.texts("competency name"))),
    ]


def anonymous_pages(x: XssWorld) -> list[Visit]:
    w, e = x.w, x.extra
    public = [a for a in e["artefacts"]["certificate"] if e["visibility"][a.pk] == "public"]
    coded = next(c for c in e["competencies"] if c.code.startswith("xq"))
    course, competition, round_page = w.course, w.competition, w.round
    admin_course, admin_competition, admin_round = e["admin_course"], e["admin_competition"], e["admin_round"]
    return [
        Visit(
            f"/transcripts/s/{e['tokens'][0]}/",
            texts=(*x.name_of("owner"), *x.texts("competency name"), e["owner_award"].text),
        ),
        Visit(f"/transcripts/verify/{e['transcript'].verification_code}/", texts=x.name_of("owner")),
        Visit(f"/transcripts/verify/{e['revoked'][0].verification_code}/", texts=x.name_of("owner")),
        Visit(f"/transcripts/competencies/{w.framework.pk}/{quote(coded.code, safe='')}/", texts=(coded.code,)),
        Visit(w.portfolio.url, texts=(*x.name_of("owner"), *(a.current_version.title for a in public))),
        Visit(w.portfolio.get_parent().url, texts=(w.portfolio.title,)),
        Visit("/", texts=(course.title, course.summary, competition.title, *x.texts("school name"))),
        Visit(
            course.url,
            texts=(
                course.title,
                course.summary,
                course.term,
                *x.texts("syllabus heading", "teaching unit title", "outcome description"),
            ),
        ),
        Visit(course.get_parent().url, texts=(course.title, admin_course.title)),
        Visit(
            competition.url,
            texts=(
                competition.title,
                competition.organiser,
                competition.summary,
                *x.texts("rules heading", "level descriptor label", "level descriptor text"),
            ),
        ),
        Visit(competition.get_parent().url, texts=(competition.title, admin_competition.title)),
        Visit(round_page.url, texts=(round_page.title, w.task.title, w.task.deliverables, w.criterion.title)),
        Visit(e["final_round"].url),
        Visit(
            admin_course.url,
            texts=(
                admin_course.title,
                *x.texts(
                    "admin-saved syllabus heading", "admin-saved typed paragraph", "admin-saved outcome description"
                ),
            ),
        ),
        Visit(
            admin_competition.url,
            texts=(admin_competition.title, *x.texts("admin-saved rules heading", "admin-saved rules paragraph")),
        ),
        Visit(
            admin_round.url,
            texts=(
                admin_round.title,
                *x.texts("admin-saved round introduction", "admin-saved task brief", "admin-saved criterion title"),
            ),
        ),
        Visit("/transcripts/verify/" + quote(REFLECTED, safe="") + "/"),
        Visit("/no-such-page/" + quote("<script>window.__xss=1</script>", safe="") + "/", status=404),
        Visit("/admin/login/?next=" + quote(REFLECTED, safe="")),
    ]


ROLES = {
    "owner": owner_pages,
    "teacher": teacher_pages,
    "mentor": mentor_pages,
    "judge": judge_pages,
    "employer": employer_pages,
    "anonymous": anonymous_pages,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_stored_payloads_run_nowhere(xw, server, chromium, tally, role):
    check_pages(xw, role, xw.w.users[role], ROLES[role](xw), server, chromium, tally)


def test_the_public_verification_page_says_revoked_and_not_why(xw, server, chromium, tally):
    """The revocation reason is for the student; verification says only that (and when) it was revoked."""
    revoked = xw.extra["revoked"][0]
    [seen] = chromium.call(look, server.url, [], [Visit(f"/transcripts/verify/{revoked.verification_code}/")])
    assert not problems(xw, "anonymous", [seen], tally)
    assert "revoked" in seen.text.lower()
    assert xw.fields["revocation reason"][0].token not in seen.html


# --- Typed through the forms -----------------------------------------------------------------------------------


def typed(x: XssWorld, label: str, payload: str = "polyglot") -> Injected:
    return x.reg.polyglot(label) if payload == "polyglot" else x.reg.one(label, payload)


def type_through(x, who, user, steps, server, chromium, tally) -> list[Seen]:
    seen = chromium.call(run_steps, server.url, session_cookie(user, server), steps)
    found = problems(x, who, seen, tally)
    assert not found, "\n".join(found)
    return seen


def as_sent(file_name: str) -> str:
    """A file name as chromium sends it in a form: quotation marks percent-encoded (the HTML standard's rule)."""
    return file_name.replace('"', "%22")


class _Markup(HTMLParser):
    """The tags and attributes of an HTML fragment, as a parser sees them (attribute values stay values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def assert_sanitised(html: str) -> None:
    """Stored HTML holds only inert markup: no code elements, no handlers, no styles, no script URLs."""
    markup = _Markup()
    markup.feed(html)
    code = {"script", "style", "iframe", "object", "embed", "base", "meta", "svg", "math", "form", "input", "img"}
    assert not code & set(markup.tags), f"{sorted(code & set(markup.tags))} kept in stored HTML: {html[:300]!r}"
    for tag, name, value in markup.attributes:
        assert not name.startswith("on") and name != "style", f"<{tag} {name}> kept in stored HTML"
        scheme = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
        assert not scheme.startswith(("javascript:", "vbscript:", "data:")), f"<{tag} {name}={value!r}> kept"


def test_a_student_types_a_team_name_and_a_submission(xw, server, chromium, tally):
    """The team form, then the submission form: javascript: links and SVG files refused, the rest escaped."""
    w = xw.w
    student = w.users["other_student"]
    name = typed(xw, "typed team name")
    body = xw.reg.rich_all("typed submission text")
    scripts = xw.reg.javascript_urls("typed submission link")
    link = xw.reg.custom(
        "typed submission link", "href break-out", "https://example.com/xq{n}\"><svg/onload=window.__xss={n}>?'x"
    )
    file_name = typed(xw, "typed submission file name", "double-quote-attribute").text + ".pdf"
    sent_name = as_sent(file_name)
    submit_button = "button:has-text('Submit this version')"
    steps = [
        ("goto", f"/compete/{w.competition.pk}/teams/new/"),
        ("fill", "[name=name]", name.text),
        ("submit", "button:has-text('Create the team')"),
        ("inspect", Visit("team page after typing its name", texts=(name.text,))),
        ("submit", f"a[href$='/tasks/{w.task.pk}/submit/']"),
        ("inspect", Visit("submission form", texts=(w.task.title, name.text))),
        ("fill", "[name=body]", body.text),
    ]
    for script in scripts:  # refused by the form, shown back escaped in the field
        steps += [
            ("fill", "[name=link]", script.text),
            ("submit", submit_button),
            ("inspect", Visit(f"submission form refusing {script.payload}", values=(script.text.strip(),))),
        ]
    for upload in ("drawing.svg", "drawing.png"):  # SVG with a script, by its name and behind an image's
        steps += [
            ("fill", "[name=link]", link.text),
            ("file", "[name=file]", upload, "image/svg+xml", SVG_WITH_SCRIPT),
            ("submit", submit_button),
            (
                "inspect",
                Visit(f"submission form refusing an SVG named {upload}", texts=(REFUSED,), values=(link.text,)),
            ),
        ]
    steps += [
        ("file", "[name=file]", file_name, "application/pdf", PDF),
        ("submit", submit_button),
        ("inspect", Visit("submission page", texts=(name.text, link.text, sent_name))),
    ]
    type_through(xw, "other_student", student, steps, server, chromium, tally)

    team = Team.objects.get(name=name.text)
    [submission] = Submission.objects.filter(team=team)
    assert submission.link == link.text and submission.original_filename == sent_name
    assert "xq" in submission.body
    assert_sanitised(submission.body)


def test_a_student_types_an_artefact_an_introduction_a_link_label_and_a_join_code(xw, server, chromium, tally):
    w, e = xw.w, xw.extra
    title, issuer = typed(xw, "typed artefact title"), typed(xw, "typed certificate issuer")
    number = typed(xw, "typed certificate number", "quote-break-script")
    body = xw.reg.rich_all("typed artefact description")
    image = as_sent(typed(xw, "typed artefact file name", "img-onerror").text + ".png")
    introduction = xw.reg.rich_all("typed portfolio introduction")
    label = typed(xw, "typed link label")
    code = typed(xw, "typed invitation code", "short-svg-onload")
    expires = (timezone.localdate() + timedelta(days=10)).isoformat()
    steps = [
        ("goto", "/portfolio/artefacts/new/certificate/"),
        ("fill", "[name=title]", title.text),
        ("fill", "[name=issuer]", issuer.text),
        ("fill", "[name=certificate_number]", number.text),
        ("fill", "[name=done_on]", (timezone.localdate() - timedelta(days=1)).isoformat()),
        ("fill", "[name=body]", body.text),
        ("file", "[name=file]", "scan.svg", "image/svg+xml", SVG_WITH_SCRIPT),
        ("submit", "form button[type=submit]:has-text('Save')"),
        (
            "inspect",
            Visit(
                "artefact form refusing an SVG scan", texts=(REFUSED,), values=(title.text, issuer.text, number.text)
            ),
        ),
        ("file", "[name=file]", image, "image/png", png_bytes()),
        ("submit", "form button[type=submit]:has-text('Save')"),
        ("inspect", Visit("portfolio after saving the artefact", texts=(title.text, issuer.text, number.text, image))),
        ("goto", "/portfolio/introduction/"),
        ("fill", "[name=introduction]", introduction.text),
        ("submit", "form button[type=submit]:has-text('Save')"),
        ("inspect", Visit("portfolio after saving the introduction")),
        ("goto", "/portfolio/introduction/"),
        ("inspect", Visit("introduction form holding the saved HTML", html_fields=("introduction",))),
        ("goto", f"/transcripts/{e['transcript'].pk}/"),
        ("fill", "form[action*='/links/'] [name=label]", label.text),
        ("fill", "form[action*='/links/'] [name=expires_at]", expires),
        ("submit", "button:has-text('Create a link')"),
        ("inspect", Visit("transcript after creating a labelled link", texts=(label.text,))),
        ("goto", "/compete/join/"),
        ("fill", "[name=invite_code]", code.text),
        ("submit", "button:has-text('Join the team')"),
        ("inspect", Visit("join form refusing the code", values=(code.text,))),
    ]
    type_through(xw, "owner", w.owner, steps, server, chromium, tally)

    version = ArtefactVersion.objects.get(title=title.text)
    assert (version.issuer, version.certificate_number, version.original_filename) == (issuer.text, number.text, image)
    assert version.file_kind == "png"
    assert_sanitised(version.body)
    assert_sanitised(PortfolioPage.objects.get(pk=w.portfolio.pk).introduction)
    assert TranscriptLink.objects.filter(transcript=e["transcript"], label=label.text).exists()


def test_an_employer_types_feedback(xw, server, chromium, tally):
    transcript = xw.extra["transcript"]
    comment = typed(xw, "typed feedback comment")
    steps = [
        ("goto", f"/transcripts/{transcript.pk}/"),
        ("select", "form[action*='/feedback/'] [name=competency]", 1),
        ("check", "form[action*='/feedback/'] [name=importance][value='3']"),
        ("fill", "form[action*='/feedback/'] [name=comment]", comment.text),
        ("submit", "button:has-text('Save feedback')"),
        ("inspect", Visit("transcript after saving feedback", texts=(comment.text,))),
    ]
    type_through(xw, "employer", xw.w.users["employer"], steps, server, chromium, tally)
    assert TranscriptFeedback.objects.filter(transcript=transcript, comment=comment.text).exists()


def test_a_teacher_types_a_revocation_reason_and_a_page_title(xw, server, chromium, tally):
    """The revoke form on the transcript, and a page title saved through the Wagtail page editor."""
    w, e = xw.w, xw.extra
    reason = typed(xw, "typed revocation reason")
    title = typed(xw, "typed page title")
    course = e["admin_course"]
    steps = [
        ("goto", f"/transcripts/{e['transcript'].pk}/"),
        ("fill", "form[action*='/revoke/'] [name=reason]", reason.text),
        ("submit", "form[action*='/revoke/'] button[type=submit]"),
        ("inspect", Visit("transcript after revoking it", texts=(reason.text,))),
        ("goto", f"/admin/transcripts/students/{w.owner.pk}/"),
        ("inspect", Visit("the student's transcripts in the admin", texts=(reason.text,))),
        ("goto", f"/admin/pages/{course.pk}/edit/"),
        ("fill", "#id_title", title.text),
        ("submit", "button:has-text('Save draft')"),
        ("inspect", Visit("page editor after saving a draft", values=(title.text,))),
        ("goto", f"/admin/pages/{e['course_index'].pk}/"),
        ("inspect", Visit("page explorer", texts=(title.text,))),
    ]
    type_through(xw, "teacher", w.users["teacher"], steps, server, chromium, tally)
    assert Transcript.objects.get(pk=e["transcript"].pk).revocation_reason == reason.text
    course.refresh_from_db()
    assert course.draft_title == title.text


def test_a_judge_types_a_score_comment_and_a_recusal_reason(xw, server, chromium, tally):
    w, e = xw.w, xw.extra
    comment, reason = typed(xw, "typed score comment"), typed(xw, "typed recusal reason")
    scoring, leaving = e["assignments"][4], e["assignments"][5]
    field = f"criterion-{w.criterion.pk}"
    steps = [
        ("goto", f"/judging/assignments/{scoring.pk}/"),
        ("fill", f"[name='{field}-points']", "8"),
        ("fill", f"[name='{field}-comment']", comment.text),
        ("submit", "button:has-text('Save scores')"),
        ("inspect", Visit("score form after saving", values=(comment.text,))),
        ("goto", f"/judging/assignments/{leaving.pk}/recuse/"),
        ("fill", "[name=reason]", reason.text),
        ("submit", "button:has-text('Withdraw from this entry')"),
        ("inspect", Visit("judging queue after withdrawing")),
    ]
    type_through(xw, "judge", w.users["judge"], steps, server, chromium, tally)
    assert Score.objects.filter(assignment=scoring, comment=comment.text).exists()
    assert JudgeAssignment.objects.get(pk=leaving.pk).recusal_reason == reason.text
    check_pages(
        xw,
        "teacher",
        w.users["teacher"],
        [Visit(f"/admin/competitions/rounds/{w.round.pk}/judging/", texts=(reason.text,))],
        server,
        chromium,
        tally,
    )


def test_anyone_types_into_the_verification_boxes(xw, server, chromium, tally):
    code = typed(xw, "typed verification code", "short-svg-onload")
    credential = typed(xw, "typed credential")
    steps = [
        ("goto", "/transcripts/verify/"),
        ("fill", "[name=code]", code.text),
        ("submit", "button:text-is('Verify')"),
        ("inspect", Visit("verification by a code that is a payload", values=(code.text,))),
        ("fill", "[name=credential_text]", credential.text),
        ("submit", "button:has-text('Verify the credential')"),
        ("inspect", Visit("verification of a credential that is a payload")),
    ]
    type_through(xw, "anonymous", None, steps, server, chromium, tally)


# --- The transcript's print HTML -------------------------------------------------------------------------------


def test_the_transcript_print_html_runs_no_payload(xw, chromium, tally):
    """What WeasyPrint turns into the PDF, loaded into chromium: the current transcript as issued (names,
    programme, competencies, evidence, awards, certificates and the school's branding all payloads), then a
    variant per plain payload in the student's name, the school's name and the footer."""
    transcript = xw.extra["transcript"]
    url = verification_url(transcript)
    branding = {"primary_colour": '#fff"><script>window.__xss=1</script>', "footer": xw.texts("transcript footer")[0]}
    owner = xw.name_of("owner")
    documents = [
        (
            Visit("transcript print HTML as issued", texts=(*owner, *xw.texts("school name"))),
            transcript_html(
                snapshot=transcript.snapshot,
                verification_url=url,
                verification_code=transcript.verification_code,
                branding=branding,
            ),
        )
    ]
    for student, school, footer in zip(
        xw.reg.plain("print HTML student name"),
        xw.reg.plain("print HTML school name"),
        xw.reg.plain("print HTML footer"),
        strict=True,
    ):
        snapshot = copy.deepcopy(transcript.snapshot)
        snapshot["student"]["name"] = student.text
        snapshot["issuer"]["name"] = school.text
        html = transcript_html(
            snapshot=snapshot,
            verification_url=url,
            verification_code=transcript.verification_code,
            branding={"footer": footer.text},
        )
        documents.append((Visit(f"transcript print HTML, {student.payload}", texts=(student.text, school.text)), html))
    seen = chromium.call(show_html, documents)
    found = problems(xw, "print", seen, tally)
    assert not found, "\n".join(found)


# --- The sanitiser on its own ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rich_text_filter_keeps_the_words_of_every_rich_payload_and_none_of_its_code():
    """The ``rich_text`` filter (Wagtail's link expansion, then the sanitiser) on each rich payload, alone and
    inside Wagtail's own markup for page links and images; the pages above check what chromium makes of it."""
    registry = Registry()
    for value in registry.rich("rich text") + [registry.rich_all("rich text")]:
        for html in (
            value.text,
            f'<p><a linktype="page" id="1">{value.text}</a></p>',
            f'<embed embedtype="image" id="999" format="left" alt="{value.token}"/>{value.text}',
        ):
            cleaned = str(rich_text(html))
            assert value.token in cleaned, f"{value.payload}: the words are gone: {cleaned[:200]!r}"
            assert_sanitised(cleaned)


# --- The checks themselves -------------------------------------------------------------------------------------


def test_the_checks_catch_a_payload_that_runs(xw, chromium):
    """Pages that do let a payload through fail every check above: this suite cannot pass by seeing nothing."""
    vulnerable = {
        "on load": '<p>xq1</p><img src=x onerror="window.__xss=1">',
        "on hover": '<p onmouseover="window.__xss=2">xq2 hover me</p>',
        "on click": '<a href="javascript:window.__xss=3">xq3 jsclick</a>',
        "a dialog": "<img src=x onerror=alert(4)>",
        "on toggle": "<details open ontoggle=window.__xss=5><summary>xq5</summary></details>",
    }
    documents = [(Visit(name), f"<!DOCTYPE html><html><body>{html}</body></html>") for name, html in vulnerable.items()]
    seen = chromium.call(show_html, documents)
    ran = {page.visit.path: (page.sentinel, page.dialogs, page.dom) for page in seen}
    assert ran["on load"][0] == "1"
    assert ran["on hover"][0] == "2" and ran["on hover"][2]
    assert ran["on click"][0] == "3" and any("javascript:" in finding for finding in ran["on click"][2])
    assert ran["a dialog"][1] == ["alert: 4"]
    assert ran["on toggle"][0] == "5"
    assert all(problems(xw, "self-test", [page]) for page in seen)
