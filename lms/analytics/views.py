"""The analytics reports in the Wagtail admin (Reports menu). Each view picks its subject (a programme or a
class) through a gate in courses.permissions — another programme's class answers 404 — builds its report from
lms.analytics.selectors, draws the charts, and exports any of its tables as CSV or XLSX (``?export=csv&table=``).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from django.views import View

from courses.models import Cohort, Programme
from courses.permissions import (
    access_cohort_analytics,
    access_programme_analytics,
    cohorts_for_analytics,
    programmes_taught_by,
)
from courses.roles import is_teacher_or_administrator
from courses.terms import Term, term_from_key, terms_between
from courses.views import TitledAdminMixin
from lms.analytics import charts, exports, selectors
from themes.exports import EXPORT_FORMATS, ExportTable, export_response

TEMPLATES = "lms/analytics/"


class AnalyticsView(TitledAdminMixin, View):
    """A report about one subject chosen from those the user may see; subclasses say which and how to draw it."""

    header_icon = "table"
    template_name = ""
    subject_parameter = "cohort"
    empty_message = gettext_lazy("You do not teach in any programme yet, so there is nothing to report.")

    def dispatch(self, request, *args, **kwargs):
        if not is_teacher_or_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # What subclasses define.
    def subjects(self, user) -> QuerySet:
        raise NotImplementedError

    def gate(self, user, pk: int):
        raise NotImplementedError

    def build(self, subject):
        raise NotImplementedError

    def tables(self, report) -> dict[str, Callable[[], ExportTable]]:
        return {}

    def context(self, report) -> dict:
        return {}

    # The request.
    def get(self, request: HttpRequest) -> HttpResponse:
        choices = list(self.subjects(request.user))
        subject = self.chosen(request, choices)
        if subject is None:
            return self.render(choices=choices, subject=None, empty_message=self.empty_message)
        self.subject = subject
        report = self.build(subject)
        export = request.GET.get("export")
        if export:
            return self.export(report, export, request.GET.get("table", ""))
        return self.render(
            choices=choices,
            subject=subject,
            report=report,
            export_links=self.export_links(report),
            export_formats=EXPORT_FORMATS,
            **self.context(report),
        )

    def chosen(self, request: HttpRequest, choices: list):
        value = request.GET.get(self.subject_parameter)
        if value is None:
            return choices[0] if choices else None
        try:
            pk = int(value)
        except ValueError as error:
            raise Http404 from error
        return self.gate(request.user, pk)

    def export(self, report, file_format: str, table_name: str) -> HttpResponse:
        build_table = self.tables(report).get(table_name)
        if build_table is None or file_format not in EXPORT_FORMATS:
            raise Http404
        table = build_table()
        filename = f"{slugify(str(self.subject), allow_unicode=True) or 'report'}-{table_name}.{file_format}"
        return export_response(table, file_format=file_format, filename=filename)

    def export_links(self, report) -> dict[str, list[tuple[str, str]]]:
        """{table name: [(format label, URL)]} for the download links under each table."""
        base = {self.subject_parameter: self.subject.pk, **self.extra_parameters()}
        return {
            name: [
                (label, "?" + urlencode({**base, "export": file_format, "table": name}))
                for file_format, label in EXPORT_FORMATS.items()
            ]
            for name in self.tables(report)
        }

    def extra_parameters(self) -> dict:
        return {}

    def render(self, **context) -> TemplateResponse:
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context))

    def get_page_subtitle(self) -> str:
        subject = getattr(self, "subject", None)
        return str(subject) if subject else ""


class CohortReport(AnalyticsView):
    subject_parameter = "cohort"

    def subjects(self, user) -> QuerySet[Cohort]:
        return cohorts_for_analytics(user)

    def gate(self, user, pk: int) -> Cohort:
        return access_cohort_analytics(user, pk)


class AlignmentView(AnalyticsView):
    page_title = gettext_lazy("Alignment matrix")
    template_name = TEMPLATES + "alignment.html"
    subject_parameter = "programme"

    def subjects(self, user) -> QuerySet[Programme]:
        return programmes_taught_by(user).select_related("framework").order_by("name")

    def gate(self, user, pk: int) -> Programme:
        return access_programme_analytics(user, pk)

    def build(self, subject: Programme) -> selectors.AlignmentReport:
        return selectors.alignment_report(programme=subject)

    def tables(self, report):
        return {
            "matrix": lambda: exports.alignment_matrix(report),
            "unassessed_outcomes": lambda: exports.unassessed_outcomes(report),
            "unaligned_criteria": lambda: exports.unaligned_criteria(report),
            "competencies_without_courses": lambda: exports.competencies_without_courses(report),
        }

    def context(self, report) -> dict:
        return {"shades": charts.ALIGNMENT_SHADES}


class AttainmentView(CohortReport):
    page_title = gettext_lazy("Class attainment")
    template_name = TEMPLATES + "attainment.html"

    def build(self, subject: Cohort):
        return selectors.class_attainment(cohort=subject)

    def tables(self, report):
        return {
            "students": lambda: exports.class_attainment(report),
            "distribution": lambda: exports.distribution(report),
        }

    def context(self, report) -> dict:
        # The ledger lists the students of the classes one is a class teacher of: link to it only from those.
        user = self.request.user
        teaches_class = user.is_superuser or report.cohort.teachers.filter(pk=user.pk).exists()
        ledger = (
            reverse("courses_evidence_ledger") if teaches_class and user.has_perm("courses.view_evidencerecord") else ""
        )
        return {
            "heat_map": charts.class_heat_map(report, ledger_url=ledger),
            "distribution_chart": charts.distribution_chart(report),
        }


class TermChangeView(CohortReport):
    page_title = gettext_lazy("Change between terms")
    template_name = TEMPLATES + "terms.html"

    def terms(self, cohort: Cohort) -> list[Term]:
        """The class's terms so far, from the autumn it entered."""
        return terms_between(Term(cohort.entry_year, True).starts_on, timezone.localdate())

    def build(self, subject: Cohort):
        terms = self.terms(subject)
        self.available_terms = terms
        first = term_from_key(self.request.GET.get("first", "")) or (terms[-2] if len(terms) > 1 else terms[0])
        second = term_from_key(self.request.GET.get("second", "")) or terms[-1]
        if first.starts_on > second.starts_on:
            first, second = second, first
        self.first, self.second = first, second
        return selectors.term_change_report(cohort=subject, first=first, second=second, today=timezone.localdate())

    def extra_parameters(self) -> dict:
        return {"first": self.first.key, "second": self.second.key}

    def tables(self, report):
        return {"change": lambda: exports.term_change(report)}

    def context(self, report) -> dict:
        return {"terms": self.available_terms, "chart": charts.term_change_chart(report)}


class DemandGapView(CohortReport):
    page_title = gettext_lazy("Industry-demand gap")
    template_name = TEMPLATES + "demand.html"

    def build(self, subject: Cohort):
        return selectors.demand_gap_report(cohort=subject)

    def tables(self, report):
        return {"gaps": lambda: exports.demand_gap(report)}

    def context(self, report) -> dict:
        return {"chart": charts.demand_gap_chart(report)}
