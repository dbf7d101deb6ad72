"""Wagtail admin views for organisers: judge assignment and progress, results and finalisation, result imports.

Organisers are the people who may edit the competition page; every view fetches its round through
``access_round_as_organiser`` (404 for everyone else).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.models import Page

from competitions.forms import PersonChoiceField
from competitions.models import Award, CompetitionPage, RoundPage, Task, Team
from competitions.permissions import access_round_as_organiser, is_organiser
from competitions.selectors.judging import (
    aggregate_round,
    competition_of,
    is_round_locked,
    judging_progress,
    recusals,
)
from competitions.selectors.results import current_finalisation
from competitions.services.imports import RESULT_COLUMNS, import_competition_results
from competitions.services.judging import assign_automatically, assign_judge
from competitions.services.results import finalise_round, rank, reopen_round
from courses.views import BaseImportView, TitledAdminMixin


def rounds_organised_by(user) -> list[RoundPage]:
    """Rounds of the competitions this user may edit, newest competition first."""
    editable = Page.objects.filter(pk__in=CompetitionPage.objects.values("pk"))
    competitions = [page for page in editable.specific() if is_organiser(user, page)]
    rounds = RoundPage.objects.none()
    for competition in competitions:
        rounds = rounds | RoundPage.objects.child_of(competition)
    return list(rounds.order_by("path"))


class OrganiserView(TitledAdminMixin, View):
    header_icon = "trophy"

    def round(self, request, round_id: int) -> RoundPage:
        self.round_page = access_round_as_organiser(request.user, round_id)
        self.competition = competition_of(self.round_page)
        return self.round_page

    def render(self, request, **context):
        context.update(self.get_context_data(), round=self.round_page, competition=self.competition)
        context["locked"] = is_round_locked(round_page=self.round_page)
        return TemplateResponse(request, self.template_name, context)


class RoundListView(OrganiserView):
    page_title = gettext_lazy("Competitions I organise")
    template_name = "competitions/admin/round_list.html"

    def get(self, request):
        rounds = rounds_organised_by(request.user)
        context = self.get_context_data(rounds=rounds)
        return TemplateResponse(request, self.template_name, context)


class AssignJudgeForm(forms.Form):
    task = forms.ModelChoiceField(label=gettext_lazy("Task"), queryset=Task.objects.none())
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none())
    judge = PersonChoiceField(label=gettext_lazy("Judge"), queryset=get_user_model().objects.none())

    def __init__(self, *args, round_page: RoundPage, competition: CompetitionPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(round=round_page)
        self.fields["team"].queryset = Team.objects.filter(competition=competition, withdrawn_at__isnull=True)
        self.fields["judge"].queryset = get_user_model().objects.filter(judged_rounds__round=round_page)


class JudgingView(OrganiserView):
    page_title = gettext_lazy("Judging")
    template_name = "competitions/admin/judging.html"

    def get(self, request, round_id: int):
        self.round(request, round_id)
        return self.render(request, form=self.form())

    def post(self, request, round_id: int):
        self.round(request, round_id)
        if "automatic" in request.POST:
            try:
                report = assign_automatically(round_page=self.round_page, assigned_by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                made = len(report.created)
                messages.success(
                    request, ngettext("%(n)s assignment made.", "%(n)s assignments made.", made) % {"n": made}
                )
                for entry in report.understaffed:
                    messages.warning(request, entry.message())
            return redirect("competitions_admin_judging", round_id)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                assign_judge(assigned_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Judge assigned."))
                return redirect("competitions_admin_judging", round_id)
        return self.render(request, form=form)

    def form(self, data=None) -> AssignJudgeForm:
        return AssignJudgeForm(data, round_page=self.round_page, competition=self.competition)

    def render(self, request, **context):
        context["progress"] = judging_progress(round_page=self.round_page)
        context["recusals"] = recusals(round_page=self.round_page)
        return super().render(request, **context)


class ResultsView(OrganiserView):
    page_title = gettext_lazy("Results and finalisation")
    template_name = "competitions/admin/results.html"

    def get(self, request, round_id: int):
        self.round(request, round_id)
        return self.render(request)

    def post(self, request, round_id: int):
        self.round(request, round_id)
        try:
            if "reopen" in request.POST:
                reopen_round(round_page=self.round_page, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The round is open for scoring again."))
            else:
                finalise_round(round_page=self.round_page, by=request.user, awards=self.awards(request.POST))
                messages.success(request, _("The round is finalised; results and evidence are recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("competitions_admin_results", round_id)

    @staticmethod
    def awards(data) -> dict[int, tuple[str, str]]:
        chosen = {}
        for key, award in data.items():
            team_id = key.removeprefix("award-")
            if key.startswith("award-") and team_id.isdigit() and award:
                chosen[int(team_id)] = (award, data.get(f"award-title-{team_id}", ""))
        return chosen

    def render(self, request, **context):
        finalisation = current_finalisation(round_page=self.round_page)
        if finalisation is None:
            aggregate = aggregate_round(round_page=self.round_page)
            ranks = rank([(team.team_id, team.total) for team in aggregate.teams])
            context["preview"] = [(ranks[team.team_id], team) for team in aggregate.teams]
            context["max_total"] = aggregate.max_total
        else:
            context["finalisation"] = finalisation
            context["results"] = finalisation.results.select_related("team").order_by("rank", "team__name")
        context["award_choices"] = Award.choices
        return super().render(request, **context)


class CompetitionResultImportForm(forms.Form):
    competition = forms.ModelChoiceField(label=gettext_lazy("Competition"), queryset=CompetitionPage.objects.none())
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organised = [page.pk for page in CompetitionPage.objects.all() if is_organiser(user, page)]
        self.fields["competition"].queryset = CompetitionPage.objects.filter(pk__in=organised)


class CompetitionResultImportView(BaseImportView):
    """Results of a contest run elsewhere, for a competition this user organises."""

    page_title = gettext_lazy("Import competition results")
    required_columns = RESULT_COLUMNS
    permission_required = "wagtailadmin.access_admin"
    url_name = "competitions_admin_import"

    form_class = CompetitionResultImportForm

    def params_for_session(self, data) -> dict:
        return {"competition": data["competition"].pk}

    def run(self, request, *, rows, params, dry_run):
        competition = CompetitionPage.objects.get(pk=params["competition"])
        if not is_organiser(request.user, competition):
            raise Http404
        return import_competition_results(competition=competition, rows=rows, recorded_by=request.user, dry_run=dry_run)


def admin_urls():
    return [
        path("competitions/", RoundListView.as_view(), name="competitions_admin_rounds"),
        path("competitions/rounds/<int:round_id>/judging/", JudgingView.as_view(), name="competitions_admin_judging"),
        path("competitions/rounds/<int:round_id>/results/", ResultsView.as_view(), name="competitions_admin_results"),
        path("competitions/import/", CompetitionResultImportView.as_view(), name="competitions_admin_import"),
    ]
