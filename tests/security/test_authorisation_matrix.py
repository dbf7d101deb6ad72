"""The authorisation matrix, generated from the URL configuration: every route of the project × every role.

``ROUTES`` lists every route whose view is one of the project's own (``tests.security.world.project_routes``
walks ``django.urls.get_resolver()``: lms/urls.py, the apps' urls modules and the admin URLs the apps register
through Wagtail's ``register_admin_urls`` hook). For each route it says how to build the URL from the world
(``tests/security/world.py`` describes it) and what each role gets:

- a number: that exact status code (a 302 that is neither of the two below);
- ``LOGIN``: 302 to the login page (``LOGIN_URL`` is Wagtail's admin login), with ``?next=``; anonymous visitors
  on login-required pages, and anyone without admin access on admin pages (Wagtail's ``require_admin_access``);
- ``DASHBOARD``: 302 to the Wagtail dashboard: an admin user without the right (a view's ``PermissionDenied``).

The rule (docs/architecture.md "Who may do what", DESIGN.md "Roles"): denied access answers 404, or 403 where the
object's existence is not secret to the person (the transcript's own viewers); the table encodes that rule, so a
view that disagrees fails here.

The roles are the columns of ``tests.security.world.ROLES``: anonymous, the owner (the student whose things the
routes are about), another student, the owner's teacher, a teacher of another programme's class, the owner's
enterprise mentor, the judge assigned to the owner's entry, and the employer the owner shares with.

Each route has GET cells for every role. A route that takes POST has POST cells for every role (with the data
its form needs); every other route has one POST cell, for a role that may GET it, that must answer 405, so a
route that starts accepting POST without being listed here (and so without a CSRF check in test_csrf.py) fails.
The table must list exactly the project's routes: a new route, or a listed route that no longer exists, fails
``test_the_matrix_lists_every_project_route``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from operator import attrgetter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import ProficiencyLevel
from portfolios.models import ArtefactKind, ReviewVerdict, Visibility
from tests.security.world import ROLES, World, project_routes

pytestmark = pytest.mark.django_db

LOGIN = "login"
DASHBOARD = "dashboard"
ADMIN_ROLES = ("teacher", "other_teacher", "mentor", "judge")  # Teachers, Enterprise mentors, Judges: admin access


def signed_in(expected, *, anonymous=LOGIN, **by_role) -> dict:
    """``expected`` for every signed-in role unless ``by_role`` says otherwise; anonymous visitors log in."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: anonymous if role == "anonymous" else by_role.get(role, expected) for role in ROLES}


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def only(allowed: dict, *, others=404, anonymous=LOGIN) -> dict:
    """Login-required: the roles in ``allowed`` get their answer, every other signed-in role ``others``."""
    return signed_in(others, anonymous=anonymous, **allowed)


def admin(default=None, **by_role) -> dict:
    """A Wagtail admin view: students, employers and visitors are sent to the admin login; admin users get
    ``by_role`` (every admin role must be given, or ``default``)."""
    cells = dict.fromkeys(ROLES, LOGIN)
    for role in ADMIN_ROLES:
        cells[role] = by_role.get(role, default)
        assert cells[role] is not None, f"no answer for {role}"
    return cells


def not_allowed(default=405) -> dict:
    """A POST-only (or GET-only) method: login first, then 405."""
    return signed_in(default)


@dataclass
class Entry:
    url: Callable[[World], str]
    get: dict
    post: dict | None = None  # None: the route takes no POST
    data: Callable[[World], dict] = field(default=lambda w: {})


def url(name: str, *args, query: str = "") -> Callable[[World], str]:
    """The URL of route ``name`` with arguments read off the world (``"team.pk"``, or a function of the world) and
    a query string whose ``{...}`` are filled in the same way (``"?cohort={cohort.pk}"``)."""

    def build(w: World) -> str:
        path = reverse(name, args=[arg(w) if callable(arg) else attrgetter(arg)(w) for arg in args])
        return path + query.format_map(_Lookup(w))

    return build


class _Lookup(dict):
    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, key: str):
        return attrgetter(key)(self.world)


def mastery(w: World) -> ProficiencyLevel:
    return w.framework.scale.levels.get(is_mastery=True)


def in_a_fortnight() -> str:
    return (timezone.localdate() + timedelta(days=14)).isoformat()


def scores(w: World) -> dict:
    prefix = f"criterion-{w.criterion.pk}"
    return {f"{prefix}-points": "7", f"{prefix}-comment": "Clear listing", f"{prefix}-based_on": ""}


ARTEFACT_FORM = {"title": "New reflection", "done_on": "2026-05-01", "body": "<p>Notes</p>", "visibility": "private"}
OWNER_ONLY_POST = only({"owner": 302})
OWNER_ONLY_GET = only({"owner": 200})
TRANSCRIPT_READERS = only({"owner": 200, "teacher": 200, "employer": 200})
TEAM_READERS = only({"owner": 200, "teacher": 200, "mentor": 200})
SUBMISSION_READERS = only({"owner": 200, "teacher": 200, "mentor": 200, "judge": 200})
STUDENTS_OWN = only({"owner": 200, "other_student": 200})  # each student's own portfolio (made on first use)
CLASS_TEACHER = admin(teacher=200, other_teacher=404, mentor=DASHBOARD, judge=DASHBOARD)
ORGANISER = admin(teacher=200, other_teacher=404, mentor=404, judge=404)
REVIEWERS = admin(teacher=200, other_teacher=200, mentor=200, judge=DASHBOARD)

ROUTES: dict[str, Entry] = {
    # --- lms -----------------------------------------------------------------------------------------------------
    # Read-only pages answer POST with 405 (``require_safe``, as every other read-only page of the project).
    "my_attainment": Entry(url("my_attainment"), signed_in(200)),
    "analytics_alignment": Entry(url("analytics_alignment", query="?programme={programme.pk}"), CLASS_TEACHER),
    "analytics_attainment": Entry(url("analytics_attainment", query="?cohort={cohort.pk}"), CLASS_TEACHER),
    "analytics_terms": Entry(url("analytics_terms", query="?cohort={cohort.pk}"), CLASS_TEACHER),
    "analytics_demand": Entry(url("analytics_demand", query="?cohort={cohort.pk}"), CLASS_TEACHER),
    # --- competitions: students' pages -------------------------------------------------------------------------
    "participation:my_teams": Entry(url("participation:my_teams"), signed_in(200)),
    "participation:join_team": Entry(
        url("participation:join_team"),
        signed_in(200),
        # Joining is for students: the owner is already in a team for C, the others are not students (form errors).
        post=signed_in(200, other_student=302),
        data=lambda w: {"invite_code": w.team.invite_code},
    ),
    "participation:create_team": Entry(
        url("participation:create_team", "competition.pk"),
        signed_in(200, owner=302),  # the owner already has a team: sent to it
        post=signed_in(200, owner=302, other_student=302),
        data=lambda w: {"name": "Second team", "advisor": "", "mentor": ""},
    ),
    "participation:team": Entry(url("participation:team", "team.pk"), TEAM_READERS),
    "participation:leave_team": Entry(url("participation:leave_team", "team.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "participation:regenerate_invite_code": Entry(
        url("participation:regenerate_invite_code", "team.pk"), not_allowed(), post=OWNER_ONLY_POST
    ),
    "participation:supervisors": Entry(
        url("participation:supervisors", "team.pk"),
        TEAM_READERS,
        # The captain (while registration is open) and organisers change them; the mentor sees the form refused.
        post=only({"owner": 302, "teacher": 302, "mentor": 200}),
        data=lambda w: {"advisor": w.users["teacher"].pk, "mentor": w.users["mentor"].pk},
    ),
    "participation:submit": Entry(
        url("participation:submit", "team.pk", "task.pk"),
        OWNER_ONLY_GET,
        post=OWNER_ONLY_POST,
        data=lambda w: {"body": "<p>Version 2</p>", "link": ""},
    ),
    "participation:submission": Entry(url("participation:submission", "submission.pk"), SUBMISSION_READERS),
    "participation:submission_file": Entry(url("participation:submission_file", "submission.pk"), SUBMISSION_READERS),
    # --- competitions: judges' pages -----------------------------------------------------------------------------
    "judging:queue": Entry(url("judging:queue"), signed_in(200)),  # each judge's own queue (empty for others)
    "judging:score": Entry(
        url("judging:score", "assignment.pk"), only({"judge": 200}), post=only({"judge": 302}), data=scores
    ),
    "judging:recuse": Entry(
        url("judging:recuse", "assignment.pk"),
        only({"judge": 200}),
        post=only({"judge": 302}),
        data=lambda w: {"reason": "I know a member of the team."},
    ),
    # --- competitions: organisers' admin views -------------------------------------------------------------------
    "competitions_admin_rounds": Entry(url("competitions_admin_rounds"), admin(200)),  # lists only one's own rounds
    "competitions_admin_judging": Entry(
        url("competitions_admin_judging", "round.pk"),
        ORGANISER,
        post=admin(teacher=302, other_teacher=404, mentor=404, judge=404),
        data=lambda w: {"automatic": "1"},
    ),
    "competitions_admin_results": Entry(
        url("competitions_admin_results", "round.pk"),
        ORGANISER,
        post=admin(teacher=302, other_teacher=404, mentor=404, judge=404),
    ),
    # Any admin user may open the import form; it offers only the competitions they organise.
    "competitions_admin_import": Entry(url("competitions_admin_import"), admin(200), post=admin(200)),
    # --- portfolios: students' pages -----------------------------------------------------------------------------
    "portfolios:mine": Entry(url("portfolios:mine"), signed_in(200, owner=302, other_student=302)),
    "portfolios:create_artefact": Entry(
        url("portfolios:create_artefact", lambda w: ArtefactKind.REFLECTION),
        STUDENTS_OWN,
        post=only({"owner": 302, "other_student": 302}),
        data=lambda w: ARTEFACT_FORM,
    ),
    "portfolios:artefact_detail": Entry(url("portfolios:artefact_detail", "draft.pk"), OWNER_ONLY_GET),
    "portfolios:edit_artefact": Entry(
        url("portfolios:edit_artefact", "draft.pk"), OWNER_ONLY_GET, post=OWNER_ONLY_POST, data=lambda w: ARTEFACT_FORM
    ),
    "portfolios:request_review": Entry(
        url("portfolios:request_review", "draft.pk"), not_allowed(), post=OWNER_ONLY_POST
    ),
    "portfolios:cancel_review": Entry(
        url("portfolios:cancel_review", "in_review.pk"), not_allowed(), post=OWNER_ONLY_POST
    ),
    "portfolios:withdraw": Entry(url("portfolios:withdraw", "draft.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "portfolios:move_up": Entry(url("portfolios:move_up", "in_review.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "portfolios:move_down": Entry(url("portfolios:move_down", "draft.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "portfolios:set_visibility": Entry(
        url("portfolios:set_visibility", "draft.pk"),
        not_allowed(),
        post=OWNER_ONLY_POST,
        data=lambda w: {"visibility": Visibility.PRIVATE},
    ),
    # Not login-required: a public artefact's file is public. This one is for the owner's teachers and mentors.
    "portfolios:version_file": Entry(
        url("portfolios:version_file", "version.pk"), only({"owner": 200, "teacher": 200, "mentor": 200}, anonymous=404)
    ),
    "portfolios:introduction": Entry(
        url("portfolios:introduction"),
        STUDENTS_OWN,
        post=only({"owner": 302, "other_student": 302}),
        data=lambda w: {"introduction": "<p>Hello</p>", "overview_visibility": Visibility.PRIVATE},
    ),
    "portfolios:sharing": Entry(
        url("portfolios:sharing"),
        STUDENTS_OWN,
        post=only({"owner": 302, "other_student": 302}),
        data=lambda w: {"employer": w.recruiter.username},
    ),
    "portfolios:revoke_share": Entry(url("portfolios:revoke_share", "share.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "portfolios:shared_with_me": Entry(url("portfolios:shared_with_me"), signed_in(200)),  # each one's own list
    # --- portfolios: reviewers' admin views ----------------------------------------------------------------------
    "portfolios_admin_reviews": Entry(url("portfolios_admin_reviews"), REVIEWERS),
    "portfolios_admin_reviews_results": Entry(url("portfolios_admin_reviews_results"), REVIEWERS),
    "portfolios_admin_bulk_sign_off": Entry(
        url("portfolios_admin_bulk_sign_off"),
        admin(405),
        # Ids the reviewer may not review are refused one by one (a message), without saying what they are.
        post=admin(teacher=302, other_teacher=302, mentor=302, judge=DASHBOARD),
        data=lambda w: {
            "artefacts": [w.in_review.pk],
            "verdict": ReviewVerdict.MEETS,
            "level": mastery(w).pk,
            "comment": "Well done",
        },
    ),
    "portfolios_admin_review": Entry(
        url("portfolios_admin_review", "in_review.pk"),
        admin(teacher=200, mentor=200, other_teacher=404, judge=404),
        post=admin(teacher=302, mentor=302, other_teacher=404, judge=404),
        data=lambda w: {
            "verdict": ReviewVerdict.MEETS,
            "level": mastery(w).pk,
            "comment": "Well done",
            "version": w.version.pk,
        },
    ),
    # --- transcripts: students', teachers' and employers' pages -------------------------------------------------
    "transcripts:jwks": Entry(url("transcripts:jwks"), everyone(200)),
    "transcripts:mine": Entry(url("transcripts:mine"), signed_in(200)),  # each one's own (empty for most)
    # Everyone may ask for their own transcript; without enrolment or evidence the answer is a message.
    "transcripts:issue": Entry(url("transcripts:issue"), not_allowed(), post=signed_in(302)),
    "transcripts:detail": Entry(url("transcripts:detail", "transcript.pk"), TRANSCRIPT_READERS),
    "transcripts:status": Entry(url("transcripts:status", "transcript.pk"), TRANSCRIPT_READERS),
    "transcripts:pdf": Entry(url("transcripts:pdf", "transcript.pk"), TRANSCRIPT_READERS),
    "transcripts:credential": Entry(url("transcripts:credential", "transcript.pk"), TRANSCRIPT_READERS),
    # Those who see the transcript get 403 for what they may not do to it; everyone else 404.
    "transcripts:revoke": Entry(
        url("transcripts:revoke", "transcript.pk"),
        not_allowed(),
        post=only({"teacher": 302, "owner": 403, "employer": 403}),
        data=lambda w: {"reason": "Issued for the wrong programme"},
    ),
    "transcripts:grant": Entry(
        url("transcripts:grant", "transcript.pk"),
        not_allowed(),
        post=only({"owner": 302, "teacher": 403, "employer": 403}),
        data=lambda w: {"employer": w.recruiter.username},
    ),
    "transcripts:create_link": Entry(
        url("transcripts:create_link", "transcript.pk"),
        not_allowed(),
        post=only({"owner": 302, "teacher": 403, "employer": 403}),
        data=lambda w: {"label": "Recruiter", "expires_at": in_a_fortnight()},
    ),
    "transcripts:feedback": Entry(
        url("transcripts:feedback", "transcript.pk"),
        not_allowed(),
        post=only({"employer": 302, "owner": 403, "teacher": 403}),
        data=lambda w: {"competency": w.trade.pk, "importance": "4", "comment": ""},
    ),
    "transcripts:revoke_grant": Entry(url("transcripts:revoke_grant", "grant.pk"), not_allowed(), post=OWNER_ONLY_POST),
    "transcripts:revoke_link": Entry(url("transcripts:revoke_link", "link.pk"), not_allowed(), post=OWNER_ONLY_POST),
    # A live secret link opens the transcript read-only for whoever holds it.
    "transcripts:shared": Entry(url("transcripts:shared", "token"), everyone(200)),
    "transcripts:shared_pdf": Entry(url("transcripts:shared_pdf", "token"), everyone(200)),
    "transcripts:shared_credential": Entry(url("transcripts:shared_credential", "token"), everyone(200)),
    # Public verification (CSRF-exempt by design: anonymous, changes nothing; see test_csrf.py).
    "transcripts:verify": Entry(
        url("transcripts:verify"),
        everyone(200),
        post=everyone(200),
        data=lambda w: {"way": "credential", "credential_text": "not.a.credential"},
    ),
    "transcripts:verify_code": Entry(url("transcripts:verify_code", "transcript.verification_code"), everyone(200)),
    "transcripts:issuer": Entry(url("transcripts:issuer"), everyone(200)),
    "transcripts:competency": Entry(url("transcripts:competency", "framework.pk", "trade.code"), everyone(200)),
    # --- transcripts: teachers' admin views ----------------------------------------------------------------------
    "transcripts_admin_classes": Entry(
        url("transcripts_admin_classes"), admin(teacher=200, other_teacher=200, mentor=DASHBOARD, judge=DASHBOARD)
    ),
    "transcripts_admin_class": Entry(url("transcripts_admin_class", "cohort.pk"), CLASS_TEACHER),
    "transcripts_admin_class_issue": Entry(
        url("transcripts_admin_class_issue", "cohort.pk"),
        CLASS_TEACHER,
        post=admin(teacher=302, other_teacher=404, mentor=DASHBOARD, judge=DASHBOARD),
    ),
    "transcripts_admin_batch": Entry(url("transcripts_admin_batch", "batch.pk"), CLASS_TEACHER),
    "transcripts_admin_batch_progress": Entry(url("transcripts_admin_batch_progress", "batch.pk"), CLASS_TEACHER),
    "transcripts_admin_student": Entry(
        url("transcripts_admin_student", "owner.pk"),
        CLASS_TEACHER,
        post=admin(teacher=302, other_teacher=404, mentor=DASHBOARD, judge=DASHBOARD),
        data=lambda w: {"transcript": w.transcript.pk, "reason": "Issued for the wrong programme"},
    ),
    # --- courses: teachers' admin views --------------------------------------------------------------------------
    # Imports need the model permission (Teachers); the cohort is checked when the file is read (another
    # teacher's class answers 404). An empty form comes back with its errors.
    "courses_import_roster": Entry(
        url("courses_import_roster"),
        admin(teacher=200, other_teacher=200, mentor=DASHBOARD, judge=DASHBOARD),
        post=admin(teacher=200, other_teacher=200, mentor=DASHBOARD, judge=DASHBOARD),
    ),
    "courses_import_results": Entry(
        url("courses_import_results"),
        admin(teacher=200, other_teacher=200, mentor=DASHBOARD, judge=DASHBOARD),
        post=admin(teacher=200, other_teacher=200, mentor=DASHBOARD, judge=DASHBOARD),
    ),
    # The ledger shows each person the evidence they may see (courses.permissions.evidence_visible_to).
    "courses_evidence_ledger": Entry(url("courses_evidence_ledger"), admin(200, judge=DASHBOARD)),
    "courses_evidence_ledger_results": Entry(url("courses_evidence_ledger_results"), admin(200, judge=DASHBOARD)),
}


# --- The cells ---------------------------------------------------------------------------------------------------

#: Roles tried first for the POST of a route that takes none (it must answer 405 to someone who may GET it).
PROBE_ORDER = ("owner", "teacher", "mentor", "judge", "employer", "other_student", "other_teacher", "anonymous")


def is_success(expected) -> bool:
    return expected in (200, 302)


def probe_role(entry: Entry) -> str:
    """A role that may GET the route (200), for the POST that must answer 405."""
    for role in PROBE_ORDER:
        if entry.get[role] == 200:
            return role
    raise AssertionError("nobody may GET this route")


def post_cells(entry: Entry) -> dict:
    """The POST cells: the table's own, or the single 405 probe for a route that takes no POST."""
    if entry.post is not None:
        return entry.post
    return {probe_role(entry): 405}


def cells() -> list:
    made = []
    for name, entry in ROUTES.items():
        for role in ROLES:
            made.append(pytest.param(name, "GET", role, entry.get[role], id=f"{name}|GET|{role}"))
        for role, expected in post_cells(entry).items():
            made.append(pytest.param(name, "POST", role, expected, id=f"{name}|POST|{role}"))
    return made


def client_for(world: World, role: str, **kwargs) -> Client:
    client = Client(**kwargs)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, world: World, name: str, method: str):
    entry = ROUTES[name]
    address = entry.url(world)
    if method == "GET":
        return client.get(address)
    return client.post(address, entry.data(world) if ROUTES[name].post is not None else {})


def assert_answer(response, expected, *, address: str) -> None:
    login = reverse("wagtailadmin_login")
    dashboard = reverse("wagtailadmin_home")
    location = response.get("Location", "")
    answered = f"{response.status_code} {location}".strip()
    if expected == LOGIN:
        assert response.status_code == 302 and location.startswith(login + "?next="), (address, answered)
    elif expected == DASHBOARD:
        assert response.status_code == 302 and location == dashboard, (address, answered)
    else:
        assert response.status_code == expected, (address, answered)
        if expected == 302:
            assert not location.startswith(login), (address, answered)
            assert location != dashboard, (address, answered)


@pytest.mark.parametrize(("name", "method", "role", "expected"), cells())
def test_authorisation(world, name, method, role, expected):
    client = client_for(world, role)
    response = request(client, world, name, method)
    assert_answer(response, expected, address=f"{method} {ROUTES[name].url(world)} as {role}")


# --- A page the project serves through Wagtail --------------------------------------------------------------------

#: Wagtail's catch-all serves the project's pages; the portfolio page gates itself (``PortfolioPage.get_context``):
#: a visitor it shows nothing gets 404. The owner's artefacts are for their teachers and mentors only, and the
#: employer's share shows what the student shares with employers (nothing, here).
PORTFOLIO_PAGE = {**everyone(404), "owner": 200, "teacher": 200, "mentor": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_portfolio_page(world, role):
    response = client_for(world, role).get(world.portfolio.url)
    assert_answer(response, PORTFOLIO_PAGE[role], address=f"GET {world.portfolio.url} as {role}")


# --- The table is complete -----------------------------------------------------------------------------------------


def test_the_matrix_lists_every_project_route():
    found = set(project_routes())
    listed = set(ROUTES)
    assert not found - listed, f"project routes missing from ROUTES (add a row): {sorted(found - listed)}"
    assert not listed - found, f"ROUTES lists routes that no longer exist: {sorted(listed - found)}"


def test_every_row_answers_for_every_role():
    for name, entry in ROUTES.items():
        assert set(entry.get) == set(ROLES), name
        if entry.post is not None:
            assert set(entry.post) == set(ROLES), name


def test_the_walk_finds_the_apps_admin_urls_and_leaves_out_wagtails_and_djangos_own():
    routes = project_routes()
    assert "transcripts_admin_class" in routes  # registered through register_admin_urls
    assert "participation:team" in routes  # an app's urls module
    assert "my_attainment" in routes  # lms/urls.py
    assert "wagtailadmin_home" not in routes
    assert "logout" not in routes  # Django's LogoutView, in lms/urls.py
