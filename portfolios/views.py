"""Students' portfolio pages under /portfolio/: artefacts, their versions, the review workflow, sharing, and
the employer's list of portfolios shared with them.

Thin views: every artefact comes through a gate in :mod:`portfolios.permissions` (404 for "not yours"); the
rules live in :mod:`portfolios.services`. The portfolio page itself is a Wagtail page
(``portfolios/portfolio_page.html``); every action here redirects back to it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from courses.roles import STUDENTS, has_role
from courses.uploads import private_file_response
from portfolios import services
from portfolios.forms import (
    ArtefactForm,
    IntroductionForm,
    ShareForm,
    VisibilityForm,
    add_service_errors,
    artefact_initial,
)
from portfolios.models import Artefact, ArtefactKind, ArtefactStatus, PortfolioPage, PortfolioShare
from portfolios.permissions import access_own_artefact, access_version_file
from portfolios.selectors import artefact_history, portfolios_shared_with, shares_of
from portfolios.transcripts import selectors as transcript_selectors
from themes.templatetags.themes_tags import person_name

TEMPLATES = "portfolios/"


def _own_portfolio(request: HttpRequest) -> PortfolioPage | None:
    """The signed-in student's portfolio (created on first use), or None with the reason shown as a message.

    Portfolios are for students: anyone else gets a 404, as for anything that is not theirs."""
    if not has_role(request.user, STUDENTS):
        raise Http404
    try:
        return services.portfolio_for(student=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


def _back_to_portfolio(request: HttpRequest, artefact: Artefact) -> HttpResponse:
    return redirect(f"{artefact.portfolio.get_url(request)}#artefact-{artefact.pk}")


@login_required
@require_safe
def my_portfolio(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, STUDENTS):
        return TemplateResponse(request, TEMPLATES + "unavailable.html", {"for_students_only": True})
    portfolio = _own_portfolio(request)
    if portfolio is None:
        return TemplateResponse(request, TEMPLATES + "unavailable.html", {})
    return redirect(portfolio.get_url(request))


@login_required
@require_http_methods(["GET", "POST"])
def create_artefact(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ArtefactKind.values:
        raise Http404
    portfolio = _own_portfolio(request)
    if portfolio is None:
        return TemplateResponse(request, TEMPLATES + "unavailable.html", {})
    form = ArtefactForm(request.POST or None, request.FILES or None, kind=kind, student=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            artefact = services.save_artefact(
                student=request.user,
                kind=kind,
                data=form.artefact_input(),
                file=form.cleaned_data["file"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is added to your portfolio.") % {"title": artefact})
            return _back_to_portfolio(request, artefact)
    return TemplateResponse(
        request,
        TEMPLATES + "artefact_form.html",
        {"form": form, "portfolio": portfolio, "kind_label": ArtefactKind(kind).label, "artefact": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_artefact(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    if artefact.withdrawn_at is not None or artefact.status == ArtefactStatus.IN_REVIEW:
        messages.error(
            request,
            _("This artefact was withdrawn.")
            if artefact.withdrawn_at
            else _("This artefact is with a reviewer. Cancel the review request to change it."),
        )
        return _back_to_portfolio(request, artefact)
    form = ArtefactForm(
        request.POST or None,
        request.FILES or None,
        kind=artefact.kind,
        student=request.user,
        editing=True,
        initial=artefact_initial(artefact.current_version, visibility=artefact.visibility),
    )
    if request.method == "POST" and form.is_valid():
        try:
            artefact = services.save_artefact(
                student=request.user,
                kind=artefact.kind,
                data=form.artefact_input(),
                file=form.cleaned_data["file"],
                artefact=artefact,
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if artefact.status == ArtefactStatus.IN_REVIEW:
                text = _("Version %(number)s is saved and sent back to your reviewers.")
            else:
                text = _("Version %(number)s is saved.")
            messages.success(request, text % {"number": artefact.current_version.number})
            return _back_to_portfolio(request, artefact)
    return TemplateResponse(
        request,
        TEMPLATES + "artefact_form.html",
        {
            "form": form,
            "portfolio": artefact.portfolio,
            "kind_label": artefact.get_kind_display(),
            "artefact": artefact,
        },
    )


@login_required
@require_safe
def artefact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    return TemplateResponse(
        request,
        TEMPLATES + "artefact_detail.html",
        {"artefact": artefact, "portfolio": artefact.portfolio, "history": artefact_history(artefact=artefact)},
    )


def _act(request: HttpRequest, artefact: Artefact, action, success: str) -> HttpResponse:
    """Run one service on the student's artefact and go back to the portfolio with its outcome as a message."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"title": artefact})
    return _back_to_portfolio(request, artefact)


@login_required
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    return _act(
        request,
        artefact,
        lambda: services.request_review(artefact=artefact, student=request.user),
        _("“%(title)s” is sent for review."),
    )


@login_required
@require_POST
def cancel_review(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    return _act(
        request,
        artefact,
        lambda: services.cancel_review(artefact=artefact, student=request.user),
        _("You took “%(title)s” back from its reviewers."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    return _act(
        request,
        artefact,
        lambda: services.withdraw_artefact(artefact=artefact, student=request.user),
        _("“%(title)s” is withdrawn from your portfolio."),
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int, offset: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    return _act(
        request,
        artefact,
        lambda: services.move_artefact(artefact=artefact, student=request.user, offset=offset),
        _("“%(title)s” is moved up.") if offset < 0 else _("“%(title)s” is moved down."),
    )


@login_required
@require_POST
def set_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    artefact = access_own_artefact(request.user, pk)
    form = VisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who may see this artefact."))
        return _back_to_portfolio(request, artefact)
    return _act(
        request,
        artefact,
        lambda: services.set_visibility(
            artefact=artefact, student=request.user, visibility=form.cleaned_data["visibility"]
        ),
        _("Who can see “%(title)s” is saved."),
    )


@require_safe
def version_file(request: HttpRequest, version_pk: int) -> HttpResponse:
    """A version's file for whoever may see it (public artefacts' files are public); images inline, the rest as
    downloads, never from MEDIA_URL."""
    version = access_version_file(request.user, version_pk)
    if not version.file:
        raise Http404
    return private_file_response(version.file, download_name=version.original_filename, inline=version.is_image)


@login_required
@require_http_methods(["GET", "POST"])
def edit_introduction(request: HttpRequest) -> HttpResponse:
    portfolio = _own_portfolio(request)
    if portfolio is None:
        return TemplateResponse(request, TEMPLATES + "unavailable.html", {})
    form = IntroductionForm(
        request.POST or None,
        initial={"introduction": portfolio.introduction, "overview_visibility": portfolio.overview_visibility},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_introduction(
                portfolio=portfolio,
                student=request.user,
                introduction=form.cleaned_data["introduction"],
                overview_visibility=form.cleaned_data["overview_visibility"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your introduction is saved."))
            return redirect(portfolio.get_url(request))
    return TemplateResponse(request, TEMPLATES + "introduction_form.html", {"form": form, "portfolio": portfolio})


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    portfolio = _own_portfolio(request)
    if portfolio is None:
        return TemplateResponse(request, TEMPLATES + "unavailable.html", {})
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = form.cleaned_data["employer"]
        try:
            services.share_with_employer(portfolio=portfolio, student=request.user, employer=employer)
        except ValidationError as error:
            form.add_error("employer", error)
        else:
            messages.success(
                request,
                _("%(name)s can now see what you share with employers.") % {"name": person_name(employer)},
            )
            return redirect("portfolios:sharing")
    return TemplateResponse(
        request,
        TEMPLATES + "sharing.html",
        {
            "form": form,
            "portfolio": portfolio,
            "portfolio_address": request.build_absolute_uri(portfolio.get_url(request)),
            "shares": shares_of(portfolio=portfolio),
        },
    )


@login_required
@require_POST
def revoke_share(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(
        PortfolioShare.objects.select_related("portfolio", "employer"), pk=pk, portfolio__student=request.user
    )
    try:
        services.revoke_share(share=share, student=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s can no longer see what you share with employers.") % {"name": person_name(share.employer)},
        )
    return redirect("portfolios:sharing")


@login_required
@require_safe
def shared_with_me(request: HttpRequest) -> HttpResponse:
    """The portfolios and transcripts students have shared with the signed-in person (an employer); empty for
    everyone else. Revoked transcripts stay listed, marked, without a link (their grant no longer opens them)."""
    transcripts = [
        (transcript, transcript_selectors.standing(transcript=transcript))
        for transcript in transcript_selectors.shared_with_employer(employer=request.user)
    ]
    return TemplateResponse(
        request,
        TEMPLATES + "shared_with_me.html",
        {"shares": portfolios_shared_with(employer=request.user), "transcripts": transcripts},
    )
