"""Transcript pages under /transcripts/: the student's versions, one transcript as a page (with sharing, the
access log, revoking and employer feedback by role), its PDF and credential, secret links, public verification,
and the public competency pages that credentials align to.

Thin views: every transcript comes through a gate in :mod:`portfolios.transcripts.permissions` (404 for "not
yours"; 403 when the viewer may see the transcript but not do the thing asked); the rules live in
:mod:`portfolios.transcripts.services` and the reads in :mod:`portfolios.transcripts.selectors`. Pages render
from the frozen snapshot, never from today's evidence, so their cost does not grow with the evidence.

Decisions:
- ``credential.json`` answers ``{"jwt": <the VC-JWT>, "jwks_uri": ..., "verify_url": ...}`` as a JSON download: a
  file a person can keep and upload to the verification page, which a program reads with one JSON parse. The
  signed credential is the ``jwt`` member alone (a compact JWS, EdDSA); the other members are conveniences
  and are not signed.
- The access log records openings through a share (an employer's grant or a secret link). Teachers and
  administrators see a transcript through their office, not through a share, and are not logged.
- Verification answers "revoked" with the date but never the reason: the reason may be private to the student.
- The verification page is exempt from CSRF protection: it is anonymous and changes nothing, and the exemption
  lets it refuse an oversized body before anything reads it and keep an uploaded file in memory only.
- Every form on the page answers with post/redirect/get to the panel it came from (``#sharing``, ``#feedback``),
  and its confirmation is shown at the top of that panel, where the browser lands, not at the top of the page.
- A new secret link's token is kept in the session, and nowhere else, until the next opening of the transcript
  page, which takes it out and shows the link once (at ``#new-link``). Reloading that page shows it no more, and
  creates no other link.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from courses.models import Competency
from courses.roles import STUDENTS, has_role
from courses.uploads import private_file_response
from portfolios.forms import ShareForm, add_service_errors
from portfolios.models import AccessKind, RenderStatus, Transcript, TranscriptGrant, TranscriptLink
from portfolios.transcripts import permissions, selectors, services
from portfolios.transcripts.credential import jwks_url
from portfolios.transcripts.forms import (
    FeedbackForm,
    IssueForm,
    LinkForm,
    RevokeForm,
    VerifyCodeForm,
    VerifyCredentialForm,
    VerifyPdfForm,
    normalise_code,
    verify_max_bytes,
)
from themes.charts import RadarAxis, format_number, measure_bar, radar_chart
from themes.templatetags.themes_tags import person_name

TEMPLATES = "portfolios/transcripts/"

#: Requests per IP address (django-ratelimit rates); settings of the same names override them.
DEFAULT_RATES = {
    "KESAI_VERIFY_RATE": "30/m",  # verification by code (the QR code's target)
    "KESAI_VERIFY_UPLOAD_RATE": "10/m",  # verification by uploading a PDF or credential
    "KESAI_SHARE_LINK_RATE": "30/m",  # openings of secret links (page, PDF and credential together)
}
#: What a multipart body may carry beyond the file itself (boundaries, headers, the other fields).
MULTIPART_SLACK = 64 * 1024
RETRY_AFTER_SECONDS = 60
#: Where a new link's token waits, in the session, for the one page that shows it.
NEW_LINK_SESSION_KEY = "transcripts:new_link"
#: The panels of the transcript page whose actions confirm in place (the message's extra tag is the panel).
SHARING, FEEDBACK = "sharing", "feedback"


# --- Rate limits ---------------------------------------------------------------------------------------------


def _rate(setting: str):
    def rate(_group: str, _request: HttpRequest) -> str:
        return getattr(settings, setting, DEFAULT_RATES[setting])

    return rate


def rate_limited(*, group: str, setting: str, method=ratelimit.ALL):
    """django-ratelimit by IP address (blocking), answering 429 with a page that says when to try again.

    The rate is read from ``setting`` on every request, so tests (and operators) can change it.
    """

    def decorator(view):
        limited = ratelimit(group=group, key="ip", rate=_rate(setting), method=method, block=True)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return limited(request, *args, **kwargs)
            except Ratelimited:
                response = TemplateResponse(
                    request, TEMPLATES + "too_many_requests.html", {"seconds": RETRY_AFTER_SECONDS}, status=429
                )
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response

        return wrapper

    return decorator


# --- The transcript as a page --------------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    """A snapshot's ISO date as a date, so the page prints it as it prints every other date."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def snapshot_page(snapshot: dict) -> dict:
    """What the transcript page shows, computed from the snapshot alone (no database)."""
    levels = snapshot["framework"]["scale"]["levels"]
    top = max((_number(level["points"]) or Decimal(0) for level in levels), default=Decimal(0))
    mastery_level = next((level for level in levels if level["mastery"]), None)
    competencies, axes, evidence = [], [], {}
    for competency in snapshot["competencies"]:
        value = _number(competency["value"])
        maximum = _number(competency["max_points"]) or top
        mastery = _number(competency["mastery_points"])
        weight = int(competency["demand_weight"] or 0)
        figure = f"{format_number(value)} / {format_number(maximum)}" if value is not None else ""
        competencies.append(
            {
                **competency,
                "figure": figure,
                "bar": measure_bar(value, maximum, reference=mastery),
                "demand_bar": measure_bar(Decimal(weight), Decimal(100), width=100),
            }
        )
        axes.append(
            RadarAxis(
                label=f"{competency['code']} {competency['name']}",
                value=value,
                maximum=maximum,
                reference=mastery,
                value_text=figure or _("not yet attained"),
                short_label=competency["code"],
            )
        )
        for row in competency["evidence"]:
            entry = evidence.setdefault(
                row.get("id") or id(row), {**row, "date": _date(row["done_on"]), "codes": [], "counts": []}
            )
            entry["codes"].append(competency["code"])
            # The weight tells apart rows of one piece of work recorded against several outcomes (same date, source
            # and score): each outcome is aligned to the competency with its own weight.
            weight = _number(row.get("weight"))
            entry["counts"].append(
                {"code": competency["code"], "weight": format_number(weight) if weight not in (None, 1) else ""}
            )
    mastery_points = format_number(_number(mastery_level["points"]) or Decimal(0)) if mastery_level else ""
    radar = radar_chart(
        axes,
        title=_("Competency radar"),
        description=_("Attainment of each competency against the mastery level."),
        id_prefix="transcript-radar",
        value_label=_("Attainment"),
        reference_label=_("Mastery level (%(points)s)") % {"points": mastery_points} if mastery_points else "",
        missing_text=_("not yet attained"),
    )
    return {
        "competencies": competencies,
        "radar": radar,
        "evidence": sorted(evidence.values(), key=lambda row: (row["done_on"], row["source"]), reverse=True),
        "weighted": any(count["weight"] for row in evidence.values() for count in row["counts"]),
        "awards": [{**award, "date": _date(award["done_on"])} for award in snapshot.get("awards", [])],
        "certificates": [
            {**certificate, "date": _date(certificate["done_on"]), "verified_date": _date(certificate["verified_on"])}
            for certificate in snapshot.get("certificates", [])
        ],
        "attained": sum(1 for competency in snapshot["competencies"] if competency["value"] is not None),
        "mastered": sum(1 for competency in snapshot["competencies"] if competency["mastered"]),
        "top": format_number(top),
        "mastery_level": mastery_level,
        "mastery_points": mastery_points,
    }


def _qr_code(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2, dark="#000000", light="#ffffff")


def _is_rendered(transcript: Transcript) -> bool:
    return transcript.render_status == RenderStatus.DONE and bool(transcript.pdf)


def _download_name(transcript: Transcript, extension: str) -> str:
    who = get_valid_filename(transcript.snapshot.get("student", {}).get("username") or str(transcript.student_id))
    return f"transcript-{who}-v{transcript.version}.{extension}"


class _Viewer:
    """Who is looking at a transcript, and so which panels the page shows."""

    def __init__(self, user, transcript: Transcript, *, link: TranscriptLink | None = None):
        self.link = link
        self.is_owner = link is None and user.is_authenticated and user.pk == transcript.student_id
        self.may_revoke = link is None and not self.is_owner and permissions.may_revoke(user, transcript)
        # The gate let them in, and they are neither the student nor a teacher: they hold a grant.
        self.is_grantee = link is None and not self.is_owner and not self.may_revoke


def _viewer_for(request: HttpRequest, pk: int) -> tuple[Transcript, _Viewer]:
    transcript = permissions.access_transcript(request.user, pk)
    return transcript, _Viewer(request.user, transcript)


def _panels(viewer: _Viewer) -> set[str]:
    return {SHARING} if viewer.is_owner else {FEEDBACK} if viewer.is_grantee else set()


def _messages_by_panel(request: HttpRequest, panels: set[str]) -> tuple[list, dict[str, list]]:
    """The messages waiting for the page: those tagged with one of its panels, by panel, and the rest.

    The rest go to the page's own message list (the template's ``messages``, which this list replaces)."""
    page, by_panel = [], {panel: [] for panel in panels}
    for message in get_messages(request):
        by_panel.get(message.extra_tags, page).append(message)
    return page, by_panel


def _confirm(request: HttpRequest, panel: str, text: str) -> None:
    """A success message shown at the top of ``panel``, where the redirect (to ``#panel``) lands."""
    messages.success(request, text, extra_tags=panel)


def _back_to(transcript_pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("transcripts:detail", args=[transcript_pk]) + "#" + anchor)


def _take_new_link(request: HttpRequest, transcript: Transcript) -> str:
    """The address of a link created just before (post/redirect/get), taken out of the session: shown once.

    Taken out on the next opening of any transcript page, so the token stays in the session only until then."""
    waiting = request.session.pop(NEW_LINK_SESSION_KEY, None)
    if not isinstance(waiting, dict) or waiting.get("transcript") != transcript.pk or not waiting.get("token"):
        return ""
    return request.build_absolute_uri(reverse("transcripts:shared", args=[waiting["token"]]))


def _render_transcript(
    request: HttpRequest,
    transcript: Transcript,
    viewer: _Viewer,
    *,
    status: int = 200,
    share_form: ShareForm | None = None,
    link_form: LinkForm | None = None,
    revoke_form: RevokeForm | None = None,
    feedback_form: FeedbackForm | None = None,
    new_link_url: str = "",
) -> TemplateResponse:
    snapshot = transcript.snapshot
    if viewer.link is not None:
        token = request.resolver_match.kwargs["token"]
        pdf_url = reverse("transcripts:shared_pdf", args=[token])
        credential_url = reverse("transcripts:shared_credential", args=[token])
    else:
        pdf_url = reverse("transcripts:pdf", args=[transcript.pk])
        credential_url = reverse("transcripts:credential", args=[transcript.pk])
    verification_url = services.verification_url(transcript)
    context = {
        "transcript": transcript,
        "snapshot": snapshot,
        "page": snapshot_page(snapshot),
        "standing": selectors.standing(transcript=transcript),
        "verification_url": verification_url,
        "qr_code": _qr_code(verification_url),
        "pdf_url": pdf_url if _is_rendered(transcript) else "",
        "credential_url": credential_url,
        "viewer": viewer,
        "now": timezone.now(),
    }
    context["messages"], context["panel_messages"] = _messages_by_panel(request, _panels(viewer))
    if viewer.is_owner:
        context |= {
            "grants": selectors.grants_of(transcript=transcript),
            "links": selectors.links_of(transcript=transcript),
            "accesses": selectors.access_log(transcript=transcript),
            "share_form": share_form or ShareForm(),
            "link_form": link_form or LinkForm(initial={"expires_at": LinkForm.default_expiry()}),
            "new_link_url": new_link_url,
        }
    if viewer.may_revoke and not transcript.is_revoked:
        context["revoke_form"] = revoke_form or RevokeForm()
    if viewer.is_grantee:
        context |= {
            "feedback_form": feedback_form or FeedbackForm(competencies=snapshot["competencies"]),
            "feedback": selectors.feedback_given(transcript=transcript, employer=request.user),
        }
    response = TemplateResponse(request, TEMPLATES + "detail.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    if viewer.link is not None:
        response["Referrer-Policy"] = "no-referrer"  # the token is in the address
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- The student's transcripts -------------------------------------------------------------------------------


def _status_of(transcript: Transcript) -> dict:
    """What the status endpoint answers, in the shape of a batch's progress (one transcript of one)."""
    done = transcript.render_status == RenderStatus.DONE
    failed = transcript.render_status == RenderStatus.FAILED
    return {
        "status": transcript.render_status,
        "label": str(transcript.get_render_status_display()),
        "done": int(done),
        "failed": int(failed),
        "total": 1,
        "percent": 100 if done else 0,
        "finished": done or failed,
    }


@login_required
@require_safe
def my_transcripts(request: HttpRequest) -> HttpResponse:
    transcripts = list(selectors.transcripts_of(student=request.user))
    rows = [(transcript, selectors.standing(transcript=transcript)) for transcript in transcripts]
    may_issue = has_role(request.user, STUDENTS) or bool(transcripts)
    return TemplateResponse(
        request,
        TEMPLATES + "mine.html",
        {"rows": rows, "may_issue": may_issue, "issue_form": IssueForm() if may_issue else None},
    )


@login_required
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("transcripts:mine")
    try:
        transcript = services.issue_transcript(
            student=request.user, issued_by=request.user, language=form.cleaned_data["language"] or None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(version)s of your transcript is issued. Its PDF is being prepared.")
            % {"version": transcript.version},
        )
    return redirect("transcripts:mine")


@login_required
@require_safe
def transcript_status(request: HttpRequest, pk: int) -> JsonResponse:
    transcript = permissions.access_transcript(request.user, pk)
    return JsonResponse(_status_of(transcript))


# --- One transcript ------------------------------------------------------------------------------------------


@login_required
@require_safe
def transcript_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    new_link_url = _take_new_link(request, transcript)
    if viewer.is_grantee:
        services.record_access(transcript=transcript, kind=AccessKind.VIEW, user=request.user)
    return _render_transcript(request, transcript, viewer, new_link_url=new_link_url if viewer.is_owner else "")


@login_required
@require_safe
def transcript_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    if not _is_rendered(transcript):
        raise Http404
    if viewer.is_grantee:
        services.record_access(transcript=transcript, kind=AccessKind.DOWNLOAD, user=request.user)
    return private_file_response(transcript.pdf, download_name=_download_name(transcript, "pdf"))


def _credential_response(transcript: Transcript) -> JsonResponse:
    document = {
        "jwt": transcript.credential,
        "jwks_uri": jwks_url(settings.WAGTAILADMIN_BASE_URL),
        "verify_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("transcripts:verify"),
    }
    response = JsonResponse(document)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(transcript, "credential.json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def transcript_credential(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    if viewer.is_grantee:
        services.record_access(transcript=transcript, kind=AccessKind.CREDENTIAL, user=request.user)
    return _credential_response(transcript)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    if not viewer.may_revoke:
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_transcript(
                transcript=transcript, revoked_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The transcript is revoked. Verification now answers “revoked”."))
            return redirect("transcripts:detail", pk=transcript.pk)
    return _render_transcript(request, transcript, viewer, revoke_form=form)


@login_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    if not viewer.is_owner:
        raise PermissionDenied
    form = ShareForm(request.POST)
    if form.is_valid():
        employer = form.cleaned_data["employer"]
        try:
            services.grant_to_employer(transcript=transcript, student=request.user, employer=employer)
        except ValidationError as error:
            form.add_error("employer", error)
        else:
            _confirm(request, SHARING, _("%(name)s can now open this transcript.") % {"name": person_name(employer)})
            return _back_to(transcript.pk, SHARING)
    return _render_transcript(request, transcript, viewer, share_form=form)


@login_required
@require_POST
def revoke_grant(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(
        TranscriptGrant.objects.select_related("transcript", "employer"), pk=pk, transcript__student=request.user
    )
    services.revoke_grant(grant=share, student=request.user)
    _confirm(
        request, SHARING, _("%(name)s can no longer open this transcript.") % {"name": person_name(share.employer)}
    )
    return _back_to(share.transcript_id, SHARING)


@login_required
@require_POST
def create_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Creates the link and sends the student to the transcript page, which shows its address once (the token
    waits in the session until then: see ``_take_new_link``)."""
    transcript, viewer = _viewer_for(request, pk)
    if not viewer.is_owner:
        raise PermissionDenied
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            _link, token = services.create_link(
                transcript=transcript,
                student=request.user,
                expires_at=form.expiry_moment(),
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[NEW_LINK_SESSION_KEY] = {"transcript": transcript.pk, "token": token}
            return _back_to(transcript.pk, "new-link")
    return _render_transcript(request, transcript, viewer, link_form=form)


@login_required
@require_POST
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        TranscriptLink.objects.select_related("transcript"), pk=pk, transcript__student=request.user
    )
    services.revoke_link(link=link, student=request.user)
    _confirm(request, SHARING, _("The link “%(label)s” no longer works.") % {"label": link})
    return _back_to(link.transcript_id, SHARING)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    transcript, viewer = _viewer_for(request, pk)
    if not viewer.is_grantee:
        raise PermissionDenied
    form = FeedbackForm(request.POST, competencies=transcript.snapshot["competencies"])
    if form.is_valid():
        competency = get_object_or_404(Competency, pk=form.cleaned_data["competency"])
        try:
            services.give_feedback(
                transcript=transcript,
                employer=request.user,
                competency=competency,
                importance=form.cleaned_data["importance"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _confirm(request, FEEDBACK, _("Thank you: your feedback on %(code)s is saved.") % {"code": competency.code})
            return _back_to(transcript.pk, FEEDBACK)
    return _render_transcript(request, transcript, viewer, feedback_form=form)


# --- Secret links --------------------------------------------------------------------------------------------

_link_limit = rate_limited(group="transcripts:link", setting="KESAI_SHARE_LINK_RATE")


def _user_or_none(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


@require_safe
@_link_limit
def shared_transcript(request: HttpRequest, token: str) -> HttpResponse:
    link = permissions.access_by_token(token)
    transcript = link.transcript
    services.record_access(transcript=transcript, kind=AccessKind.VIEW, user=_user_or_none(request), link=link)
    return _render_transcript(request, transcript, _Viewer(request.user, transcript, link=link))


@require_safe
@_link_limit
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = permissions.access_by_token(token)
    transcript = link.transcript
    if not _is_rendered(transcript):
        raise Http404
    services.record_access(transcript=transcript, kind=AccessKind.DOWNLOAD, user=_user_or_none(request), link=link)
    response = private_file_response(transcript.pdf, download_name=_download_name(transcript, "pdf"))
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@_link_limit
def shared_credential(request: HttpRequest, token: str) -> HttpResponse:
    link = permissions.access_by_token(token)
    transcript = link.transcript
    services.record_access(transcript=transcript, kind=AccessKind.CREDENTIAL, user=_user_or_none(request), link=link)
    return _credential_response(transcript)


# --- Public verification -------------------------------------------------------------------------------------


class _InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps a verification upload in memory, never in a temporary file; bodies over the limit are dropped
    (the view has already refused them by their Content-Length)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length is not None and content_length <= verify_max_bytes() + MULTIPART_SLACK


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _summary(verification: selectors.Verification) -> dict | None:
    transcript = verification.transcript
    if transcript is None:
        return None
    snapshot = transcript.snapshot
    competencies = snapshot.get("competencies", [])
    superseded_by = getattr(transcript, "superseded_by", None)
    return {
        "student": snapshot["student"]["name"],
        "programme": snapshot["programme"]["name"],
        "cohort": snapshot["programme"].get("cohort", ""),
        "issuer": snapshot["issuer"]["name"] or settings.WAGTAIL_SITE_NAME,
        "issued_at": transcript.issued_at,
        "version": transcript.version,
        "competencies": len(competencies),
        "attained": sum(1 for competency in competencies if competency["value"] is not None),
        "mastered": sum(1 for competency in competencies if competency["mastered"]),
        "revoked_at": transcript.revoked_at,
        "superseded_at": superseded_by.issued_at if superseded_by is not None else None,
    }


def _verify_page(
    request: HttpRequest,
    *,
    verification: selectors.Verification | None = None,
    checked: str = "",
    code_form: VerifyCodeForm | None = None,
    pdf_form: VerifyPdfForm | None = None,
    credential_form: VerifyCredentialForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    response = TemplateResponse(
        request,
        TEMPLATES + "verify.html",
        {
            "verification": verification,
            "summary": _summary(verification) if verification else None,
            "checked": checked,
            "code_form": code_form or VerifyCodeForm(),
            "pdf_form": pdf_form or VerifyPdfForm(),
            "credential_form": credential_form or VerifyCredentialForm(),
            "max_mb": verify_max_bytes() // (1024 * 1024),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited(group="transcripts:verify-upload", setting="KESAI_VERIFY_UPLOAD_RATE", method="POST")
def verify(request: HttpRequest) -> HttpResponse:
    """The verification form; by code it sends the visitor on to the code's address, uploads it answers here."""
    if request.method == "GET":
        if "code" not in request.GET:
            return _verify_page(request)
        code_form = VerifyCodeForm(request.GET)
        if code_form.is_valid():
            return redirect("transcripts:verify_code", code=code_form.cleaned_data["code"])
        return _verify_page(request, code_form=code_form)
    if _content_length(request) > verify_max_bytes() + MULTIPART_SLACK:
        return _verify_page(request, checked="too_large", status=413)
    request.upload_handlers = [_InMemoryUploadHandler(request)]
    if request.POST.get("way") == "pdf":
        form = VerifyPdfForm(request.POST, request.FILES)
        if not form.is_valid():
            return _verify_page(request, pdf_form=form)
        return _verify_page(request, verification=selectors.verify_pdf(content=form.cleaned_data["pdf"]), checked="pdf")
    form = VerifyCredentialForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verify_page(request, credential_form=form)
    verification = selectors.verify_credential(token=form.cleaned_data["token"])
    return _verify_page(request, verification=verification, checked="credential")


@require_safe
@rate_limited(group="transcripts:verify-code", setting="KESAI_VERIFY_RATE")
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    code = normalise_code(code)
    verification = selectors.verify_code(code=code)
    return _verify_page(
        request, verification=verification, checked="code", code_form=VerifyCodeForm(initial={"code": code})
    )


# --- Public competency pages ---------------------------------------------------------------------------------


@require_safe
def competency(request: HttpRequest, framework_id: int, code: str) -> HttpResponse:
    """What a credential's alignment ``targetUrl`` names: the competency, its framework and the scale's levels."""
    competency = get_object_or_404(
        Competency.objects.select_related("framework__scale", "parent"), framework_id=framework_id, code=code
    )
    response = TemplateResponse(
        request,
        TEMPLATES + "competency.html",
        {
            "competency": competency,
            "framework": competency.framework,
            "levels": competency.framework.scale.levels_by_points,
        },
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
