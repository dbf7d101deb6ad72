"""Teacher-facing admin: imports with preview, the evidence ledger report, scale validation, refusals."""

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

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


# --- Where a previewed file waits, and when it goes -------------------------------------------------------------


@pytest.fixture
def private(settings, tmp_path) -> Path:
    """The private storage in a fresh folder; returns its ``imports`` folder, where previews wait."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "private" / "imports"


def waiting(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*")) if folder.exists() else []


def preview_roster(client, cohort, text: str = "学号,姓,名\n2024010101,王,芳\n"):
    return client.post(
        reverse("courses_import_roster"),
        {"cohort": cohort.pk, "enrolled_on": "2024-09-01", "file": roster_upload(text)},
    )


def token_of(preview) -> str:
    return str(preview.context["confirm_form"].initial["token"])


def test_a_preview_that_can_be_confirmed_waits_in_private_storage_until_confirmed(client, teacher, cohort, private):
    login(client, teacher)
    preview = preview_roster(client, cohort)
    assert waiting(private) == [f"{token_of(preview)}.csv"]
    assert not (private.parent.parent / "media").exists()
    client.post(reverse("courses_import_roster"), {"token": token_of(preview)})
    assert Enrolment.objects.filter(cohort=cohort).count() == 1
    assert waiting(private) == []


def test_a_preview_with_row_errors_keeps_no_file(client, teacher, cohort, private):
    login(client, teacher)
    response = preview_roster(client, cohort, "学号,姓,名\n,王,芳\n")
    assert "nothing has been saved" in response.content.decode()
    assert "confirm_form" not in response.context
    assert waiting(private) == []


def test_cancelling_a_preview_deletes_its_file_and_imports_nothing(client, teacher, cohort, private):
    login(client, teacher)
    token = token_of(preview_roster(client, cohort))
    done = client.post(reverse("courses_import_roster"), {"token": token, "cancel": "1"}, follow=True)
    assert "The import was cancelled; nothing has been saved." in done.content.decode()
    assert waiting(private) == []
    again = client.post(reverse("courses_import_roster"), {"token": token}, follow=True)
    assert "This import has expired" in again.content.decode()
    assert not Enrolment.objects.exists()


def test_a_new_preview_replaces_the_sessions_earlier_one(client, teacher, cohort, private):
    login(client, teacher)
    first = token_of(preview_roster(client, cohort))
    second = token_of(preview_roster(client, cohort, "学号,姓,名\n2024010102,李,强\n"))
    assert waiting(private) == [f"{second}.csv"]
    expired = client.post(reverse("courses_import_roster"), {"token": first}, follow=True)
    assert "This import has expired" in expired.content.decode()
    assert not Enrolment.objects.exists()


def test_a_token_is_confirmed_only_by_the_import_that_made_it(client, teacher, cohort, private):
    login(client, teacher)
    token = token_of(preview_roster(client, cohort))
    elsewhere = client.post(reverse("courses_import_results"), {"token": token}, follow=True)
    assert "This import has expired" in elsewhere.content.decode()
    assert waiting(private) == [f"{token}.csv"]  # still the roster's to confirm
    client.post(reverse("courses_import_roster"), {"token": token})
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_a_preview_removes_files_left_waiting_for_more_than_a_day(client, teacher, cohort, private):
    private.mkdir(parents=True)
    abandoned, recent = private / "abandoned.csv", private / "recent.csv"
    for path, age in ((abandoned, timedelta(days=1, minutes=1)), (recent, timedelta(hours=23))):
        path.write_bytes(b"student_number\n")
        moment = (timezone.now() - age).timestamp()
        os.utime(path, (moment, moment))
    login(client, teacher)
    token = token_of(preview_roster(client, cohort))
    assert waiting(private) == sorted([f"{token}.csv", "recent.csv"])


def test_confirming_a_preview_whose_file_was_removed_says_it_expired(client, teacher, cohort, private):
    login(client, teacher)
    token = token_of(preview_roster(client, cohort))
    (private / f"{token}.csv").unlink()
    response = client.post(reverse("courses_import_roster"), {"token": token}, follow=True)
    assert "This import has expired" in response.content.decode()
    assert not Enrolment.objects.exists()
