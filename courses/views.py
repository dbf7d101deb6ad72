"""Admin views for teachers: roster and result imports with a preview, and the evidence ledger report."""

from datetime import date
from pathlib import PurePath

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from courses.forms import ConfirmImportForm, ResultImportForm, RosterImportForm
from courses.imports import (
    ACTION_LABELS,
    RESULT_COLUMNS,
    ROSTER_COLUMNS,
    ImportFileError,
    chinese_headers,
    discard_pending_file,
    import_results,
    import_roster,
    keep_pending_file,
    read_table,
    remove_stale_pending_files,
    take_pending_file,
)
from courses.models import CoursePage, EvidenceRecord, EvidenceSourceKind
from courses.permissions import access_cohort, evidence_visible_to

SESSION_KEY = "kesai_pending_imports"


class TitledAdminMixin(WagtailAdminTemplateMixin):
    """Admin views whose breadcrumbs end with their own title (Wagtail's slim header shows the last crumb)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class BaseImportView(TitledAdminMixin, View):
    """Upload → dry-run preview → confirm (or cancel).

    Only a preview that can be confirmed keeps the uploaded file: it waits in the private storage, never served
    (a roster holds students' names and e-mail addresses), under a random name, while its token, path and form
    values wait in the session. A preview with row errors keeps nothing. Confirming reads the file and deletes
    it; cancelling deletes it; a new preview in the same view replaces the session's earlier one. Files whose
    session was abandoned are removed by any later preview, in any session, once they are a day old
    (``remove_stale_pending_files``): no scheduled job to forget, and a teacher has a day to confirm.
    """

    template_name = "courses/admin/import.html"
    form_class = RosterImportForm
    required_columns: tuple[str, ...] = ()
    permission_required = ""
    header_icon = "upload"
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(form=self.form_class(user=request.user))

    def post(self, request):
        if "token" in request.POST:
            return self.cancel(request) if "cancel" in request.POST else self.confirm(request)
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form=form)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = read_table(name=upload.name, content=content, required=self.required_columns)
        except ImportFileError as error:
            form.add_error("file", error)
            return self.render(form=form)
        remove_stale_pending_files()
        self.discard_earlier_preview(request)
        params = self.params_for_session(form.cleaned_data)
        report = self.run(request, rows=rows, params=params, dry_run=True)
        if not report.is_valid:
            return self.render(form=form, report=report)
        token, path = keep_pending_file(content=content, suffix=PurePath(upload.name).suffix.lower())
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"path": path, "name": upload.name, "params": params, "view": self.url_name}
        request.session[SESSION_KEY] = pending
        return self.render(form=form, report=report, confirm_form=ConfirmImportForm(initial={"token": token}))

    def confirm(self, request):
        entry = self.take_pending(request)
        content = take_pending_file(entry["path"]) if entry else None
        if content is None:
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect(self.url_name)
        rows = read_table(name=entry["name"], content=content, required=self.required_columns)
        report = self.run(request, rows=rows, params=entry["params"], dry_run=False)
        if report.applied:
            messages.success(
                request,
                _("Imported %(new)s new and %(updated)s corrected rows; %(same)s were unchanged.")
                % {"new": report.count("create"), "updated": report.count("update"), "same": report.count("unchanged")},
            )
            return redirect(self.url_name)
        return self.render(form=self.form_class(user=request.user), report=report)

    def cancel(self, request):
        entry = self.take_pending(request)
        if entry:
            discard_pending_file(entry["path"])
        messages.info(request, _("The import was cancelled; nothing has been saved."))
        return redirect(self.url_name)

    def take_pending(self, request) -> dict | None:
        """The session's waiting import named by the posted token, taken out of the session (``None``: unknown,
        or another import view's)."""
        form = ConfirmImportForm(request.POST)
        pending = request.session.get(SESSION_KEY, {})
        token = str(form.cleaned_data["token"]) if form.is_valid() else ""
        if pending.get(token, {}).get("view") != self.url_name:
            return None
        entry = pending.pop(token)
        request.session[SESSION_KEY] = pending
        return entry

    def discard_earlier_preview(self, request) -> None:
        pending = request.session.get(SESSION_KEY, {})
        earlier = [token for token, entry in pending.items() if entry.get("view") == self.url_name]
        for token in earlier:
            discard_pending_file(pending.pop(token)["path"])
        if earlier:
            request.session[SESSION_KEY] = pending

    def render(self, **context):
        context.update(
            self.get_context_data(),
            action_labels=ACTION_LABELS,
            columns=self.required_columns,
            chinese_columns=chinese_headers(self.required_columns),
            action_url=reverse(self.url_name),
        )
        return TemplateResponse(self.request, self.template_name, context)


class RosterImportView(BaseImportView):
    page_title = gettext_lazy("Import a class roster")
    form_class = RosterImportForm
    required_columns = ROSTER_COLUMNS
    permission_required = "courses.add_enrolment"
    url_name = "courses_import_roster"

    def params_for_session(self, data) -> dict:
        return {"cohort": data["cohort"].pk, "enrolled_on": data["enrolled_on"].isoformat()}

    def run(self, request, *, rows, params, dry_run):
        return import_roster(
            cohort=access_cohort(request.user, params["cohort"]),
            rows=rows,
            enrolled_on=date.fromisoformat(params["enrolled_on"]),
            dry_run=dry_run,
            imported_by=request.user,
        )


class ResultImportView(BaseImportView):
    page_title = gettext_lazy("Import assessment results")
    form_class = ResultImportForm
    required_columns = RESULT_COLUMNS
    permission_required = "courses.add_assessmentresult"
    url_name = "courses_import_results"

    def params_for_session(self, data) -> dict:
        return {"cohort": data["cohort"].pk, "course": data["course"].pk}

    def run(self, request, *, rows, params, dry_run):
        return import_results(
            cohort=access_cohort(request.user, params["cohort"]),
            course=CoursePage.objects.get(pk=params["course"]),
            rows=rows,
            recorded_by=request.user,
            dry_run=dry_run,
        )


class EvidenceFilterSet(WagtailFilterSet):
    source_kind = django_filters.ChoiceFilter(label=gettext_lazy("Source"), choices=EvidenceSourceKind.choices)
    student = django_filters.CharFilter(label=gettext_lazy("Student number or name"), method="filter_student")

    class Meta:
        model = EvidenceRecord
        fields = ["source_kind"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(
            Q(student__username__icontains=value)
            | Q(student__last_name__icontains=value)
            | Q(student__first_name__icontains=value)
        )


class EvidenceLedgerView(ReportView):
    """The active ledger rows a teacher may see, with CSV/XLSX export."""

    page_title = gettext_lazy("Evidence ledger")
    header_icon = "list-ul"
    index_url_name = "courses_evidence_ledger"
    index_results_url_name = "courses_evidence_ledger_results"
    filterset_class = EvidenceFilterSet
    export_filename = "evidence-ledger"
    columns = [
        Column("student_label", label=gettext_lazy("Student"), accessor="student_label"),
        Column("target_label", label=gettext_lazy("Outcome or competency"), accessor="target_label"),
        Column("score", label=gettext_lazy("Score")),
        Column("level", label=gettext_lazy("Level")),
        DateColumn("done_on", label=gettext_lazy("Done on")),
        Column("source_kind", label=gettext_lazy("Source"), accessor="get_source_kind_display"),
        Column("source_title", label=gettext_lazy("Source title")),
        Column("recorded_by", label=gettext_lazy("Recorded by")),
    ]
    list_export = [
        "student.username",
        "student_label",
        "target_label",
        "score",
        "done_on",
        "source_kind",
        "source_title",
        "recorded_by.username",
        "recorded_at",
    ]
    export_headings = {
        "student.username": gettext_lazy("Student number"),
        "student_label": gettext_lazy("Student"),
        "target_label": gettext_lazy("Outcome or competency"),
        "recorded_by.username": gettext_lazy("Recorded by"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.view_evidencerecord"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            evidence_visible_to(self.request.user)
            .active()
            .select_related("student", "outcome__course", "competency", "level", "recorded_by")
            .order_by("-done_on", "-id")
        )

    def decorate_paginated_queryset(self, object_list):
        for record in object_list:
            record.student_label = f"{record.student.username} {record.student.last_name}{record.student.first_name}"
            record.target_label = str(record.outcome or record.competency)
        return object_list
