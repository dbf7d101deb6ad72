"""Script injection through everything a student (or reviewer) types into a portfolio.

Rich text (an artefact's description, the portfolio introduction) is stored already sanitised; plain text
(titles, enterprise, issuer, certificate number, platform, review comments, file names) is stored as typed
and escaped when shown. Either way the portfolio page must carry no markup a browser would run.
"""

import io
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portfolios.models import ArtefactKind, ReviewVerdict, Visibility
from portfolios.services import (
    ArtefactInput,
    portfolio_for,
    request_review,
    save_artefact,
    set_visibility,
    sign_off,
    update_introduction,
)
from themes.sanitiser import ALLOWED_TAGS

#: Every payload fits the shortest field it goes into (certificate number, 80 characters).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="&#x6A;avascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="java\nscript:alert(1)">newline</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p style="width:expression(alert(1))">expr</p>',
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<b onmouseover=alert(1)>hover</b>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)//",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--<script>alert(1)</script>-->",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
]

#: Attributes that take a URL, and the schemes that run code or smuggle a document in.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
#: Browsers ignore ASCII whitespace and control characters inside a scheme ("jav\tascript:").
IGNORED_IN_SCHEMES = re.compile(r"[\x00-\x20]")


class Elements(HTMLParser):
    """Every start tag of a document: (tag, {attribute: value}), entities in values already decoded."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


#: The site's own scripts: static files (Wagtail's user bar for editors) and the user bar's JSON settings.
SITE_SCRIPT_SOURCE = re.compile(r"^(//testserver)?/static/[\w/.-]+\.js(\?v=\w+)?$")
SITE_DATA_SCRIPTS = {("checker-axe-configuration", "application/json")}


def is_site_script(attrs: dict[str, str]) -> bool:
    if "src" in attrs:
        return bool(SITE_SCRIPT_SOURCE.match(attrs["src"])) and set(attrs) == {"src"}
    return (attrs.get("id"), attrs.get("type")) in SITE_DATA_SCRIPTS and set(attrs) == {"id", "type"}


def executable_markup(html: str) -> list[str]:
    """What in ``html`` a browser would run: scripts not the site's own, event handlers, script or data URLs."""
    problems = []
    for tag, attrs in Elements(html).found:
        if tag == "script" and not is_site_script(attrs):
            problems.append(f"<script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(IGNORED_IN_SCHEMES.sub("", value)):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def test_the_checker_finds_what_it_looks_for():
    html = '<p onclick="x()">a</p><a href=" jav&#x09;ascript:x()">b</a><img src="data:image/png,x"><script></script>'
    assert len(executable_markup(html)) == 4
    assert executable_markup('<script src="/static/wagtailadmin/js/userbar.js?v=1"></script>') == []
    assert len(executable_markup('<script src="/static/x.js" onload="x()"></script><script src="//evil/x.js">')) == 3
    assert executable_markup('<p title="onclick">a</p><a href="https://ok.example">b</a>') == []


# --- what is stored ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_artefact_description_is_stored_without_executable_markup(school, make_artefact, payload):
    version = make_artefact(body=f"<p>Before</p>{payload}<p>After</p>").current_version
    version.refresh_from_db()
    assert "<script" not in version.body.lower()
    assert executable_markup(version.body) == []
    assert {tag for tag, _attrs in Elements(version.body).found} <= ALLOWED_TAGS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_portfolio_introduction_is_stored_without_executable_markup(school, payload):
    portfolio = portfolio_for(student=school.student)
    update_introduction(
        portfolio=portfolio,
        student=school.student,
        introduction=f"<p>我是陈小红。</p>{payload}",
        overview_visibility=Visibility.REVIEWERS,
    )
    portfolio.refresh_from_db()
    assert "<script" not in portfolio.introduction.lower()
    assert executable_markup(portfolio.introduction) == []
    assert {tag for tag, _attrs in Elements(portfolio.introduction).found} <= ALLOWED_TAGS


def test_the_published_revision_of_the_introduction_is_sanitised_too(school):
    portfolio = portfolio_for(student=school.student)
    update_introduction(
        portfolio=portfolio,
        student=school.student,
        introduction="<p>Hi</p><img src=x onerror=alert(1)>",
        overview_visibility=Visibility.REVIEWERS,
    )
    portfolio.refresh_from_db()
    assert portfolio.live_revision.as_object().introduction == "<p>Hi</p>"


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (ArtefactKind.REFLECTION, "title"),
        (ArtefactKind.INTERNSHIP, "enterprise"),
        (ArtefactKind.CERTIFICATE, "issuer"),
        (ArtefactKind.CERTIFICATE, "certificate_number"),
        (ArtefactKind.PRACTICE, "platform"),
    ],
)
def test_plain_text_fields_are_stored_as_typed_for_escaping_on_output(school, make_artefact, kind, field):
    # Escaping belongs to the template; storing an escaped copy would show "&lt;" to readers.
    payload = '<img src=x onerror=alert(1)> & "quotes"'
    version = make_artefact(kind=kind, **{field: payload}).current_version
    version.refresh_from_db()
    assert getattr(version, field) == payload


def test_a_review_comment_is_stored_as_typed(school, make_artefact, send_for_review, levels):
    artefact = make_artefact(kind=ArtefactKind.INTERNSHIP)
    send_for_review(artefact)
    review = sign_off(
        artefact=artefact,
        reviewer=school.mentor,
        verdict=ReviewVerdict.MEETS,
        level=levels[3],
        comment="  <script>alert(1)</script>  ",
    )
    review.refresh_from_db()
    assert review.comment == "<script>alert(1)</script>"


# --- what is shown -----------------------------------------------------------------------------------


def png_named(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def fill_portfolio(school, levels, text: str, *, student) -> None:
    """Put ``text`` in every field a student types (and in a review comment) on ``student``'s portfolio.

    Every artefact is visible to reviewers, so the class teacher sees the same cards as the owner.
    """
    portfolio = portfolio_for(student=student)
    update_introduction(
        portfolio=portfolio, student=student, introduction=text, overview_visibility=Visibility.REVIEWERS
    )
    common = {"title": text, "body": text, "done_on": date(2026, 5, 1), "competencies": [school.trade]}
    made = [
        save_artefact(
            student=student,
            kind=ArtefactKind.INTERNSHIP,
            data=ArtefactInput(enterprise=text, mentor=school.mentor, **common),
        ),
        save_artefact(
            student=student,
            kind=ArtefactKind.CERTIFICATE,
            # The certificate number column holds 80 characters; longer payloads are cut to fit (and still hostile).
            data=ArtefactInput(issuer=text, certificate_number=text[:80], **common),
            file=png_named(f"{text}.png"),
        ),
        save_artefact(student=student, kind=ArtefactKind.PRACTICE, data=ArtefactInput(platform=text, **common)),
        save_artefact(student=student, kind=ArtefactKind.REFLECTION, data=ArtefactInput(**common)),
    ]
    for artefact in made:
        set_visibility(artefact=artefact, student=student, visibility=Visibility.REVIEWERS)
    internship = request_review(artefact=made[0], student=student)
    sign_off(artefact=internship, reviewer=school.mentor, verdict=ReviewVerdict.MEETS, level=levels[3], comment=text)


def pages_of(client, *, student, class_teacher) -> list[str]:
    """The student's portfolio page as the student sees it and as their class teacher sees it."""
    url = portfolio_for(student=student).url
    pages = []
    for viewer in (student, class_teacher):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content.decode())
    return pages


def tags_beyond_the_allow_list(html: str) -> Counter:
    """How many of each element the sanitiser would never let through: on a safe page, only the site's own."""
    return Counter(tag for tag, _attrs in Elements(html).found if tag not in ALLOWED_TAGS)


def test_the_page_shows_every_field_it_is_tested_through(school, levels, client):
    # Guards the test below: if the page stopped showing a field, its payloads would pass unseen.
    fill_portfolio(school, levels, "MARKER-7f3a", student=school.student)
    for html in pages_of(client, student=school.student, class_teacher=school.class_teacher):
        # introduction 1; 4 artefacts × (title + description) 8; enterprise 1; issuer and certificate number 2;
        # platform 1; review comment 1; file name 1: at least 15.
        assert html.count("MARKER-7f3a") >= 15


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_portfolio_page_runs_nothing_a_student_typed(school, levels, client, payload):
    fill_portfolio(school, levels, f"Intro {payload} end", student=school.student)
    for html in pages_of(client, student=school.student, class_teacher=school.class_teacher):
        assert executable_markup(html) == []
        if "<" in payload:
            assert payload not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_portfolio_page_has_no_element_beyond_the_allow_list_but_the_sites_own(school, levels, client, payload):
    # The same portfolio filled with harmless text gives the site's own elements (layout, forms, charts).
    fill_portfolio(school, levels, "harmless", student=school.other_student)
    fill_portfolio(school, levels, f"Intro {payload} end", student=school.student)
    harmless = pages_of(client, student=school.other_student, class_teacher=school.class_teacher)
    attacked = pages_of(client, student=school.student, class_teacher=school.class_teacher)
    for clean, html in zip(harmless, attacked, strict=True):
        assert tags_beyond_the_allow_list(html) == tags_beyond_the_allow_list(clean)
