"""Students' pages under /compete/: their teams, joining, a team's page, submitting work and its versions.

Thin views: every protected object comes through a gate in :mod:`competitions.permissions` (404 for "not
yours"), rules live in :mod:`competitions.services.teams` and :mod:`competitions.services.submissions`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from competitions.forms import JoinTeamForm, SubmissionForm, SupervisorsForm, TeamCreateForm
from competitions.models import CompetitionPage
from competitions.permissions import (
    access_submission,
    access_team,
    access_team_for_submitting,
    is_organiser,
    teams_user_may_submit_for,
)
from competitions.selectors.teams import (
    competitions_open_for_registration,
    current_team_of,
    open_tasks,
    registration_closed_reason,
    submission_history,
    submission_window,
    team_detail,
    team_task_board,
    teams_of_student,
)
from competitions.services.submissions import submit
from competitions.services.teams import (
    create_team,
    join_team,
    leave_team,
    regenerate_invite_code,
    set_supervisors,
)
from courses.uploads import private_file_response

TEMPLATES = "competitions/participation/"


@login_required
@require_safe
def my_teams(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        TEMPLATES + "my_teams.html",
        {
            "teams": teams_of_student(student=request.user),
            "open_competitions": competitions_open_for_registration(),
            "join_form": JoinTeamForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_team_view(request: HttpRequest, competition_id: int) -> HttpResponse:
    competition = get_object_or_404(CompetitionPage.objects.live().public(), pk=competition_id)
    existing = current_team_of(student=request.user, competition=competition)
    if existing is not None:
        messages.info(request, _("You are already in a team for this competition."))
        return redirect("participation:team", team_id=existing.pk)
    closed = registration_closed_reason(competition=competition)
    if closed:
        messages.error(request, closed)
        return redirect(competition.url)
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = create_team(
                competition=competition,
                name=form.cleaned_data["name"],
                created_by=request.user,
                advisor=form.cleaned_data["advisor"],
                mentor=form.cleaned_data["mentor"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Team “%(name)s” created. Share its invitation code.") % {"name": team.name})
            return redirect("participation:team", team_id=team.pk)
    return TemplateResponse(request, TEMPLATES + "team_form.html", {"form": form, "competition": competition})


@login_required
@require_http_methods(["GET", "POST"])
def join_team_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = JoinTeamForm(request.POST)
        if form.is_valid():
            try:
                membership = join_team(invite_code=form.cleaned_data["invite_code"], student=request.user)
            except ValidationError as error:
                form.add_error("invite_code", error)
            else:
                messages.success(request, _("You joined “%(team)s”.") % {"team": membership.team.name})
                return redirect("participation:team", team_id=membership.team_id)
    else:
        form = JoinTeamForm(initial={"invite_code": request.GET.get("code", "")[:32]})
    return TemplateResponse(request, TEMPLATES + "join.html", {"form": form})


@login_required
@require_safe
def team_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_detail(team_id=access_team(request.user, team_id).pk).get()
    membership = next((m for m in team.current_members if m.student_id == request.user.pk), None)
    is_team_organiser = is_organiser(request.user, team.competition)
    registration_open = not registration_closed_reason(competition=team.competition)
    return TemplateResponse(
        request,
        TEMPLATES + "team.html",
        {
            "team": team,
            "members": team.current_members,
            "membership": membership,
            "can_manage": is_team_organiser or bool(membership and membership.is_captain),
            "can_change_supervisors": is_team_organiser
            or bool(membership and membership.is_captain and registration_open),
            "can_leave": bool(membership and registration_open),
            "below_minimum": len(team.current_members) < team.competition.min_team_size,
            "rounds": team_task_board(team=team),
        },
    )


@login_required
@require_POST
def leave_team_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = access_team_for_submitting(request.user, team_id)
    try:
        leave_team(team=team, student=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participation:team", team_id=team.pk)
    messages.success(request, _("You left “%(team)s”.") % {"team": team.name})
    return redirect("participation:my_teams")


@login_required
@require_POST
def regenerate_invite_code_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = access_team_for_submitting(request.user, team_id)
    try:
        regenerate_invite_code(team=team, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team has a new invitation code; the old one no longer works."))
    return redirect("participation:team", team_id=team.pk)


@login_required
@require_http_methods(["GET", "POST"])
def supervisors_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = access_team(request.user, team_id)
    form = SupervisorsForm(request.POST or None, initial={"advisor": team.advisor_id, "mentor": team.mentor_id})
    if request.method == "POST" and form.is_valid():
        try:
            set_supervisors(
                team=team,
                advisor=form.cleaned_data["advisor"],
                mentor=form.cleaned_data["mentor"],
                changed_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team's advisor and mentor are saved."))
            return redirect("participation:team", team_id=team.pk)
    return TemplateResponse(request, TEMPLATES + "supervisors.html", {"form": form, "team": team})


@login_required
@require_http_methods(["GET", "POST"])
def submit_view(request: HttpRequest, team_id: int, task_id: int) -> HttpResponse:
    team = access_team_for_submitting(request.user, team_id)
    task = get_object_or_404(open_tasks(competition=team.competition), pk=task_id)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submit(
                team=team,
                task=task,
                submitted_by=request.user,
                body_html=form.cleaned_data["body"],
                file=form.cleaned_data["file"],
                link=form.cleaned_data["link"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Version %(version)s of your work is submitted.") % {"version": submission.version}
            )
            return redirect("participation:submission", submission_id=submission.pk)
    return TemplateResponse(
        request,
        TEMPLATES + "submit.html",
        {
            "form": form,
            "team": team,
            "task": task,
            "window": submission_window(round_page=task.round),
            "history": submission_history(team=team, task=task),
        },
    )


@login_required
@require_safe
def submission_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = access_submission(request.user, submission_id)
    return TemplateResponse(
        request,
        TEMPLATES + "submission.html",
        {
            "submission": submission,
            "team": submission.team,
            "task": submission.task,
            "history": submission_history(team=submission.team, task=submission.task),
            "can_submit": teams_user_may_submit_for(request.user).filter(pk=submission.team_id).exists(),
        },
    )


@login_required
@require_safe
def submission_file(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The file of a submission, always as a download and never from MEDIA_URL."""
    submission = access_submission(request.user, submission_id)
    if not submission.file:
        raise Http404
    return private_file_response(submission.file, download_name=submission.original_filename)
