"""Judges' pages: the queue of their entries, the scoring form (all criteria in one POST) and recusal.

Every assignment is fetched through ``access_assignment``: anyone but its judge gets a 404.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from competitions.models import Score, Submission
from competitions.permissions import access_assignment
from competitions.selectors.judging import CriterionToScore, entry_for_scoring, entry_label, judging_queue
from competitions.services.judging import ScoreConflict, record_score, recuse

QUEUE_PAGE_SIZE = 50


class CriterionScoreForm(forms.Form):
    """One row of the scoring form. Shape only; the rules live in ``record_score``."""

    points = forms.DecimalField(required=False)  # replaced per criterion, with its maximum
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, row: CriterionToScore, **kwargs):
        criterion = row.criterion
        initial = {"based_on": row.current.pk if row.current else None}
        if row.current is not None:
            initial.update(points=row.current.points, comment=row.current.comment)
        super().__init__(*args, prefix=f"criterion-{criterion.pk}", initial=initial, **kwargs)
        self.fields["points"] = forms.DecimalField(
            label=gettext_lazy("Points"),
            required=False,
            min_value=0,
            max_value=criterion.max_points,
            max_digits=6,
            decimal_places=2,
        )
        self.fields["points"].widget.attrs["inputmode"] = "decimal"
        if row.levels:
            self.fields["points"].widget.attrs["aria-describedby"] = f"levels-{criterion.pk}"


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you withdrawing from this entry?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("For example: you know a team member personally. The organisers see this reason."),
    )


def _file_url(submission: Submission | None) -> str:
    """The participation app's download URL, or "" while that view does not exist or there is no file."""
    if submission is None or not submission.file:
        return ""
    try:
        return reverse("participation:submission_file", args=[submission.pk])
    except NoReverseMatch:
        return ""


@require_safe
@login_required
def queue(request):
    assignments = judging_queue(judge=request.user)
    page_obj = Paginator(assignments, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"assignment": assignment, "label": entry_label(team=assignment.team, competition=assignment.team.competition)}
        for assignment in page_obj
    ]
    return TemplateResponse(
        request,
        "competitions/judging/queue.html",
        {"page_obj": page_obj, "rows": rows, "paginator": page_obj.paginator},
    )


def _save_scores(request, entry, forms_by_criterion, data) -> tuple[int, int]:
    """Save each criterion through ``record_score``; returns (saved rows, rows with an error). Errors are attached
    to the rows' forms; ``data`` gets each row's new ``based_on`` so a resubmission starts from what stands."""
    saved = failed = 0
    for row in entry.rows:
        form = forms_by_criterion[row.criterion.pk]
        if not form.is_valid():
            failed += 1
            continue
        points, comment = form.cleaned_data["points"], form.cleaned_data["comment"]
        if points is None:
            if not comment.strip() and form.cleaned_data["based_on"] is None:
                continue  # the row showed no score and the judge typed nothing
            form.add_error("points", _("Enter the points; a saved score cannot be removed, only changed."))
            failed += 1
            continue
        based_on = _score_shown(row, form.cleaned_data["based_on"])
        try:
            score = record_score(
                assignment=entry.assignment,
                criterion=row.criterion,
                points=points,
                comment=comment,
                judge=request.user,
                based_on=based_on,
            )
        except ScoreConflict as conflict:
            form.add_error(None, conflict)
            data[form.add_prefix("based_on")] = str(conflict.current.pk) if conflict.current else ""
            failed += 1
            continue
        except ValidationError as error:
            form.add_error(None, error)
            failed += 1
            continue
        if row.current is None or score.pk != row.current.pk:
            saved += 1
        data[form.add_prefix("based_on")] = str(score.pk)
    return saved, failed


def _score_shown(row: CriterionToScore, based_on_id: int | None) -> Score | None:
    if based_on_id is None:
        return None
    return next((score for score in row.history if score.pk == based_on_id), None) or Score(pk=based_on_id)


@login_required
@require_http_methods(["GET", "POST"])
def score(request, pk: int):
    assignment = access_assignment(request.user, pk)
    entry = entry_for_scoring(assignment=assignment)
    data = request.POST.copy() if request.method == "POST" and not entry.locked else None
    forms_by_criterion = {row.criterion.pk: CriterionScoreForm(data, row=row) for row in entry.rows}
    if data is not None:
        saved, failed = _save_scores(request, entry, forms_by_criterion, data)
        if not failed:
            if saved:
                messages.success(request, _("Scores saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("judging:score", pk=assignment.pk)
        messages.error(
            request,
            _("Some scores were not saved; see the marked criteria. Everything you typed is still in the form."),
        )
        entry = entry_for_scoring(assignment=assignment)  # show what stands now, next to the judge's input
    elif request.method == "POST":
        messages.error(request, _("This round is finalised; scores are locked."))
    return TemplateResponse(
        request,
        "competitions/judging/score.html",
        {
            "entry": entry,
            "rows": [(row, forms_by_criterion[row.criterion.pk]) for row in entry.rows],
            "file_url": _file_url(entry.submission),
            "scored_count": sum(1 for row in entry.rows if row.current is not None),
            "criteria_count": len(entry.rows),
            "max_points": sum((row.criterion.max_points for row in entry.rows), Decimal("0")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recuse_view(request, pk: int):
    assignment = access_assignment(request.user, pk)
    label = entry_label(team=assignment.team, competition=assignment.team.competition)
    form = RecusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = recuse(assignment=assignment, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if replacement is None:
                messages.warning(
                    request,
                    _(
                        "You have withdrawn from %(entry)s. No other judge is free for it yet; "
                        "the organisers see it as needing a judge."
                    )
                    % {"entry": label},
                )
            else:
                messages.success(
                    request,
                    _("You have withdrawn from %(entry)s; another judge has been assigned.") % {"entry": label},
                )
            return redirect("judging:queue")
    return TemplateResponse(
        request, "competitions/judging/recuse.html", {"assignment": assignment, "label": label, "form": form}
    )
