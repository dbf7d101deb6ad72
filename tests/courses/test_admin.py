"""Teacher-facing admin: imports with preview, the evidence ledger report, scale validation, refusals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Enrolment, ProficiencyScale
from courses.services import record_evidence
from tests.factories import PASSWORD, CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(framework, teacher):
    cohort = CohortFactory(programme__framework=framework)
    cohort.teachers.add(teacher)
    return cohort


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def roster_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")


def test_teacher_previews_then_confirms_a_roster_import(client, teacher, cohort):
    login(client, teacher)
    url = reverse("courses_import_roster")
    preview = client.post(
        url,
        {"cohort": cohort.pk, "enrolled_on": "2024-09-01", "file": roster_upload("学号,姓,名\n2024010101,王,芳\n")},
    )
    assert preview.status_code == 200
    assert "Confirm and import" in preview.content.decode()
    assert not Enrolment.objects.exists()
    token = preview.context["confirm_form"].initial["token"]
    done = client.post(url, {"token": token}, follow=True)
    assert "Imported 1 new" in done.content.decode()
    assert Enrolment.objects.get().student.last_name == "王"


def test_preview_with_errors_offers_no_confirm_button(client, teacher, cohort):
    login(client, teacher)
    response = client.post(
        reverse("courses_import_roster"),
        {"cohort": cohort.pk, "enrolled_on": "2024-09-01", "file": roster_upload("学号,姓,名\n,王,芳\n")},
    )
    body = response.content.decode()
    assert "The student number is empty." in body
    assert "Confirm and import" not in body


def test_teacher_cannot_import_into_a_cohort_they_do_not_teach(client, teacher, framework):
    other = CohortFactory(programme__framework=framework)
    login(client, teacher)
    response = client.post(
        reverse("courses_import_roster"),
        {"cohort": other.pk, "enrolled_on": "2024-09-01", "file": roster_upload("学号,姓,名\n1,王,芳\n")},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_expired_token_imports_nothing(client, teacher, cohort):
    login(client, teacher)
    response = client.post(
        reverse("courses_import_roster"), {"token": "4f9d2b9e-1c1e-4f4e-9d7e-2a8f0f7c6b11"}, follow=True
    )
    assert "This import has expired" in response.content.decode()


@pytest.mark.parametrize("role", ["Students", "Employers", "Judges", "Enterprise mentors"])
@pytest.mark.parametrize("url_name", ["courses_import_roster", "courses_import_results"])
def test_roles_without_import_rights_are_refused(client, role, url_name):
    user = UserFactory(roles=[role])
    login(client, user)
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"] or response["Location"] == "/admin/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("courses_import_roster"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_evidence_ledger_shows_only_students_the_teacher_teaches(client, teacher, cohort, competency):
    mine = EnrolmentFactory(cohort=cohort, student__username="mine01").student
    theirs = UserFactory(username="theirs01")
    for student in (mine, theirs):
        record_evidence(
            student=student,
            competency=competency,
            score=Decimal("3"),
            done_on=date(2026, 1, 5),
            source_kind="certificate",
            source_title=f"Certificate of {student.username}",
            recorded_by=teacher,
        )
    login(client, teacher)
    body = client.get(reverse("courses_evidence_ledger")).content.decode()
    assert "Certificate of mine01" in body
    assert "Certificate of theirs01" not in body


def test_evidence_ledger_exports_csv(client, teacher, cohort, competency):
    student = EnrolmentFactory(cohort=cohort).student
    record_evidence(
        student=student,
        competency=competency,
        score=Decimal("3"),
        done_on=date(2026, 1, 5),
        source_kind="certificate",
        source_title="1+X",
        recorded_by=teacher,
    )
    login(client, teacher)
    response = client.get(reverse("courses_evidence_ledger") + "?export=csv")
    content = b"".join(response.streaming_content).decode()
    assert "Student number" in content.splitlines()[0]
    assert student.username in content


@pytest.mark.parametrize("role", ["Students", "Employers", "Judges"])
def test_evidence_ledger_refuses_roles_without_view_rights(client, role):
    login(client, UserFactory(roles=[role]))
    assert client.get(reverse("courses_evidence_ledger")).status_code in (302, 403)


def scale_form_data(levels: list[tuple[str, str, bool]]) -> dict:
    data = {
        "name": "Scale under test",
        "description": "",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "2",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for i, (name, points, mastery) in enumerate(levels):
        data |= {
            f"levels-{i}-name": name,
            f"levels-{i}-points": points,
            f"levels-{i}-descriptor": "",
            f"levels-{i}-ORDER": str(i + 1),
            f"levels-{i}-DELETE": "",
            f"levels-{i}-id": "",
        }
        if mastery:
            data[f"levels-{i}-is_mastery"] = "on"
    return data


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([("Low", "1", False), ("High", "2", False)], "Exactly one level must mark mastery; 0 do."),
        ([("Low", "1", True), ("High", "2", True)], "Exactly one level must mark mastery; 2 do."),
        ([("Low", "2", False), ("High", "2", True)], "Please correct the duplicate data for scale and points"),
    ],
)
def test_scale_needs_exactly_one_mastery_level_and_distinct_points(admin_client, levels, message):
    response = admin_client.post(reverse("wagtailsnippets_courses_proficiencyscale:add"), scale_form_data(levels))
    assert message in response.content.decode()
    assert not ProficiencyScale.objects.filter(name="Scale under test").exists()


def test_a_valid_scale_is_saved(admin_client):
    data = scale_form_data([("Low", "1", False), ("Mastered", "2", True), ("High", "3", False)])
    response = admin_client.post(reverse("wagtailsnippets_courses_proficiencyscale:add"), data)
    assert response.status_code == 302
    scale = ProficiencyScale.objects.get(name="Scale under test")
    assert [(level.name, level.is_mastery) for level in scale.levels.order_by("points")] == [
        ("Low", False),
        ("Mastered", True),
        ("High", False),
    ]


def test_import_pages_name_themselves_in_the_breadcrumbs(client, teacher, cohort):
    login(client, teacher)
    body = client.get(reverse("courses_import_roster")).content.decode()
    crumbs = body[body.index("w-breadcrumbs") : body.index("</header>")]
    assert "Import a class roster" in crumbs
