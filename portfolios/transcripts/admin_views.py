"""Wagtail admin views for teachers (and administrators): issuing transcripts for a whole class (after a
confirmation page: it issues a new version for every student at once), following a batch's progress without
reloading the page, and a student's transcripts with the revoke form.

Every class, batch and student comes through a gate in :mod:`portfolios.transcripts.permissions` (404 for
"not yours": another teacher's class is as absent as one that does not exist).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.http import require_safe

from courses.roles import is_teacher_or_administrator
from courses.views import TitledAdminMixin
from portfolios.models import Transcript
from portfolios.transcripts import permissions, selectors, services
from portfolios.transcripts.forms import RevokeForm
from portfolios.transcripts.selectors import BatchProgress
from themes.templatetags.themes_tags import person_name

HEADER_ICON = "doc-full"
TEMPLATES = "portfolios/transcripts/admin/"


def progress_label(progress: BatchProgress) -> str:
    text = ngettext(
        "%(done)s of %(total)s transcript ready.", "%(done)s of %(total)s transcripts ready.", progress.total
    ) % {"done": progress.done, "total": progress.total}
    if progress.failed:
        text += " " + ngettext(
            "%(failed)s could not be prepared.", "%(failed)s could not be prepared.", progress.failed
        ) % {"failed": progress.failed}
    if progress.skipped:
        text += " " + ngettext(
            "%(skipped)s student got no transcript (see below).",
            "%(skipped)s students got no transcript (see below).",
            progress.skipped,
        ) % {"skipped": progress.skipped}
    if progress.finished:
        text += " " + _("Finished.")
    return text


def progress_json(progress: BatchProgress) -> dict:
    return {
        "done": progress.done,
        "failed": progress.failed,
        "skipped": progress.skipped,
        "total": progress.total,
        "percent": progress.percent,
        "finished": progress.finished,
        "label": progress_label(progress),
    }


class _TeacherView(TitledAdminMixin, View):
    header_icon = HEADER_ICON

    def dispatch(self, request, *args, **kwargs):
        if not is_teacher_or_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def transcripts_crumb(self) -> dict:
        return {"url": reverse("transcripts_admin_classes"), "label": _("Transcripts")}

    def render(self, **context) -> TemplateResponse:
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context))


class ClassesView(_TeacherView):
    """The classes the teacher may issue for, with their head counts, and the latest batches with progress."""

    page_title = gettext_lazy("Transcripts")
    template_name = TEMPLATES + "classes.html"

    def get(self, request):
        return self.render(
            cohorts=selectors.cohorts_for_issuing(user=request.user),
            batches=[
                (batch, progress, progress_label(progress))
                for batch, progress in selectors.recent_batches(user=request.user)
            ],
        )


class ClassView(_TeacherView):
    """One class: each student's newest transcript, and the way to issue for all of them (IssueForClassView)."""

    page_title = gettext_lazy("Transcripts")
    template_name = TEMPLATES + "class.html"

    def get(self, request, cohort_pk: int):
        self.cohort = permissions.access_cohort_for_issuing(request.user, cohort_pk)
        rows = [
            (enrolment, transcript, selectors.standing(transcript=transcript) if transcript else None)
            for enrolment, transcript in selectors.class_transcripts(cohort=self.cohort)
        ]
        return self.render(cohort=self.cohort, rows=rows)

    def get_page_subtitle(self) -> str:
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, self.transcripts_crumb(), {"url": "", "label": str(self.cohort)}]


class IssueForClassView(_TeacherView):
    """Asks before issuing: a new version for every student of the class at once, which supersedes each current
    one. Only the POST of this page's form issues; the batch page then follows the progress."""

    page_title = gettext_lazy("Issue transcripts")
    template_name = TEMPLATES + "class_issue.html"

    def get(self, request, cohort_pk: int):
        self.cohort = permissions.access_cohort_for_issuing(request.user, cohort_pk)
        rows = selectors.class_transcripts(cohort=self.cohort)
        return self.render(
            cohort=self.cohort,
            students=len(rows),
            superseding=sum(1 for _enrolment, transcript in rows if transcript and not transcript.is_revoked),
        )

    def post(self, request, cohort_pk: int):
        cohort = permissions.access_cohort_for_issuing(request.user, cohort_pk)
        try:
            batch = services.issue_for_cohort(cohort=cohort, issued_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("transcripts_admin_class", cohort_pk=cohort.pk)
        return redirect("transcripts_admin_batch", batch_pk=batch.pk)

    def get_page_subtitle(self) -> str:
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.transcripts_crumb(),
            {"url": reverse("transcripts_admin_class", args=[self.cohort.pk]), "label": str(self.cohort)},
            {"url": "", "label": _("Issue transcripts")},
        ]


class BatchView(_TeacherView):
    """A batch's progress bar; transcript-progress.js moves it from the JSON endpoint without reloading, and
    hides the "Issuing …" banner once the batch has finished."""

    page_title = gettext_lazy("Issuing transcripts")
    template_name = TEMPLATES + "batch.html"

    def get(self, request, batch_pk: int):
        self.batch = permissions.access_batch(request.user, batch_pk)
        progress = selectors.batch_progress(batch=self.batch)
        return self.render(batch=self.batch, progress=progress, label=progress_label(progress))

    def get_page_subtitle(self) -> str:
        return str(self.batch.cohort)

    def get_breadcrumbs_items(self):
        cohort = self.batch.cohort
        return [
            *self.breadcrumbs_items,
            self.transcripts_crumb(),
            {"url": reverse("transcripts_admin_class", args=[cohort.pk]), "label": str(cohort)},
            {"url": "", "label": _("Issuing transcripts")},
        ]


@require_safe
def batch_progress(request: HttpRequest, batch_pk: int) -> JsonResponse:
    """``selectors.batch_progress`` as JSON: done, failed, total, percent, finished and a readable label."""
    if not is_teacher_or_administrator(request.user):
        raise PermissionDenied
    batch = permissions.access_batch(request.user, batch_pk)
    response = JsonResponse(progress_json(selectors.batch_progress(batch=batch)))
    response["Cache-Control"] = "no-store"
    return response


class StudentView(_TeacherView):
    """A student's transcripts, every version, with the revoke form on those still in force."""

    page_title = gettext_lazy("Transcripts")
    template_name = TEMPLATES + "student.html"

    def get(self, request, student_pk: int):
        self.student = permissions.access_student_for_teacher(request.user, student_pk)
        return self.render_student()

    def post(self, request, student_pk: int):
        self.student = permissions.access_student_for_teacher(request.user, student_pk)
        transcript = get_object_or_404(Transcript, pk=request.POST.get("transcript") or 0, student=self.student)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.revoke_transcript(
                    transcript=transcript, revoked_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Version %(version)s of %(name)s’s transcript is revoked.")
                    % {"version": transcript.version, "name": person_name(self.student)},
                )
            return redirect("transcripts_admin_student", student_pk=self.student.pk)
        return self.render_student(failed_form=(transcript.pk, form))

    def render_student(self, *, failed_form: tuple[int, RevokeForm] | None = None) -> TemplateResponse:
        self.cohorts = list(selectors.classes_of_student(student=self.student, user=self.request.user))
        rows = []
        for transcript in selectors.transcripts_of(student=self.student):
            form = failed_form[1] if failed_form and failed_form[0] == transcript.pk else RevokeForm()
            rows.append(
                (transcript, selectors.standing(transcript=transcript), None if transcript.is_revoked else form)
            )
        return self.render(student=self.student, rows=rows, cohorts=self.cohorts)

    def get_page_subtitle(self) -> str:
        return person_name(self.student)

    def get_breadcrumbs_items(self):
        classes = [
            {"url": reverse("transcripts_admin_class", args=[cohort.pk]), "label": str(cohort)}
            for cohort in self.cohorts[:1]  # the newest class the user may issue for; the page links to every one
        ]
        return [
            *self.breadcrumbs_items,
            self.transcripts_crumb(),
            *classes,
            {"url": "", "label": person_name(self.student)},
        ]


def admin_urls():
    return [
        path("transcripts/", ClassesView.as_view(), name="transcripts_admin_classes"),
        path("transcripts/classes/<int:cohort_pk>/", ClassView.as_view(), name="transcripts_admin_class"),
        path(
            "transcripts/classes/<int:cohort_pk>/issue/",
            IssueForClassView.as_view(),
            name="transcripts_admin_class_issue",
        ),
        path("transcripts/batches/<int:batch_pk>/", BatchView.as_view(), name="transcripts_admin_batch"),
        path("transcripts/batches/<int:batch_pk>/progress/", batch_progress, name="transcripts_admin_batch_progress"),
        path("transcripts/students/<int:student_pk>/", StudentView.as_view(), name="transcripts_admin_student"),
    ]
