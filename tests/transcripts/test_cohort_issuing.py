"""Teachers issue transcripts for a whole class in the Wagtail admin (after a confirmation page) and follow the
batch's progress; they open a student's transcripts and revoke one there. Teachers of other classes get 404
everywhere.

Class A (see conftest) has two students, ``student`` and ``other_student``, both with something attained.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from portfolios.models import RenderStatus, Transcript, TranscriptBatch
from portfolios.transcripts import services
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory
from tests.transcripts.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf", "evidence")]


def class_url(cohort) -> str:
    return reverse("transcripts_admin_class", args=[cohort.pk])


def issue_url(cohort) -> str:
    return reverse("transcripts_admin_class_issue", args=[cohort.pk])


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def batch_url(batch) -> str:
    return reverse("transcripts_admin_batch", args=[batch.pk])


def progress_url(batch) -> str:
    return reverse("transcripts_admin_batch_progress", args=[batch.pk])


@pytest.fixture
def other_class_teacher(school):
    teacher = UserFactory(username="class.b.teacher", roles=["Teachers"])
    CohortFactory(programme=school.programme, name="Class B").teachers.add(teacher)
    return teacher


@pytest.fixture
def issued_batch(school, django_capture_on_commit_callbacks) -> TranscriptBatch:
    """Class A's batch, issued through the admin with the tasks run (ImmediateBackend) at commit."""
    with django_capture_on_commit_callbacks(execute=True):
        client_for(school.class_teacher).post(issue_url(school.cohort))
    return TranscriptBatch.objects.get()


@pytest.fixture
def waiting_batch(school) -> TranscriptBatch:
    """Class A's batch, requested but with its tasks not yet run (nothing committed)."""
    return services.issue_for_cohort(cohort=school.cohort, issued_by=school.class_teacher)


def test_issuing_for_a_class_leads_to_the_batchs_progress_page(school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school.class_teacher).post(issue_url(school.cohort))
    assert response.status_code == 302
    assert response["Location"] == batch_url(TranscriptBatch.objects.get())


def test_the_class_page_asks_before_issuing_and_issues_nothing_itself(school):
    class_page = soup_of(client_for(school.class_teacher).get(class_url(school.cohort)))
    assert class_page.select_one("#issue-content a.button")["href"] == issue_url(school.cohort)
    assert class_page.select("#issue-content form") == []
    response = client_for(school.class_teacher).post(class_url(school.cohort))
    assert response.status_code == 405
    assert not TranscriptBatch.objects.exists()


def test_the_confirmation_page_says_how_many_transcripts_it_issues_and_issues_nothing_yet(school, issue):
    issue(school.student)  # in force: the class's batch will supersede it
    page = soup_of(client_for(school.class_teacher).get(issue_url(school.cohort)))
    main = text(page.select_one("main"))
    assert "This issues 2 new transcripts, one for each student of Class A" in main
    assert "1 student’s current transcript becomes superseded" in main
    form = page.select_one("main form[method=post]")
    assert form.get("action") in (None, "")  # posts to this page
    assert text(form.select_one("button[type=submit]")) == "Yes, issue 2 transcripts"
    assert form.select_one("a")["href"] == class_url(school.cohort)
    assert not TranscriptBatch.objects.exists()


def test_issuing_for_a_class_issues_and_renders_a_transcript_for_every_student(school, issued_batch):
    issued = Transcript.objects.filter(batch=issued_batch)
    assert sorted(issued.values_list("student__username", flat=True)) == ["2024000001", "2024000002"]
    assert set(issued.values_list("render_status", flat=True)) == {RenderStatus.DONE}


def test_the_progress_endpoint_reports_the_finished_batch(school, issued_batch):
    answer = client_for(school.class_teacher).get(progress_url(issued_batch)).json()
    assert answer == {
        "done": 2,
        "failed": 0,
        "skipped": 0,
        "total": 2,
        "percent": 100,
        "finished": True,
        "label": "2 of 2 transcripts ready. Finished.",
    }


def test_the_progress_endpoint_reports_a_batch_not_started(school, waiting_batch):
    answer = client_for(school.class_teacher).get(progress_url(waiting_batch)).json()
    assert (answer["done"], answer["total"], answer["percent"], answer["finished"]) == (0, 2, 0, False)


def test_the_progress_page_polls_while_the_batch_runs(school, waiting_batch):
    soup = BeautifulSoup(client_for(school.class_teacher).get(batch_url(waiting_batch)).content, "html.parser")
    bar = soup.select_one("progress")
    assert (bar["max"], bar["value"]) == ("2", "0")
    assert soup.select_one(".transcript-progress")["data-poll-url"] == progress_url(waiting_batch)
    assert soup.select_one('script[src$="portfolios/js/transcript-progress.js"]') is not None


def test_the_progress_page_shows_the_issuing_banner_while_the_batch_runs(school, waiting_batch):
    running = soup_of(client_for(school.class_teacher).get(batch_url(waiting_batch)))
    banner = running.select_one(".transcript-progress [data-poll-running]")
    assert "Issuing 2 transcripts for Class A" in text(banner)  # inside the polled element: the script hides it


def test_the_progress_page_of_a_finished_batch_has_no_issuing_banner(school, django_capture_on_commit_callbacks):
    teacher = client_for(school.class_teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(issue_url(school.cohort))  # the tasks run at once: finished on arrival
    finished = soup_of(teacher.get(response["Location"]))
    assert finished.select("[data-poll-running]") == []
    assert "Issuing 2 transcripts" not in text(finished)  # nor as a message that would outlive the batch


def test_the_progress_bar_is_drawn_in_the_admins_style(school, waiting_batch):
    page = soup_of(client_for(school.class_teacher).get(batch_url(waiting_batch)))
    assert "transcript-progress__bar" in page.select_one("progress")["class"]
    assert page.select_one('link[href$="portfolios/css/transcript-admin.css"]') is not None


def test_the_progress_page_shows_the_figure_without_javascript(school, issued_batch):
    soup = BeautifulSoup(client_for(school.class_teacher).get(batch_url(issued_batch)).content, "html.parser")
    bar = soup.select_one("progress")
    assert (bar["max"], bar["value"]) == ("2", "2")
    assert soup.select_one("[data-poll-label]").get_text(strip=True) == "2 of 2 transcripts ready. Finished."
    assert not soup.select_one(".transcript-progress").has_attr("data-poll-url")


def test_the_transcripts_page_lists_the_teachers_classes_and_recent_batches(school, issued_batch):
    soup = BeautifulSoup(
        client_for(school.class_teacher).get(reverse("transcripts_admin_classes")).content, "html.parser"
    )
    classes = [row.select("td")[0].get_text(strip=True) for row in soup.select("#classes-content tbody tr")]
    batches = [row.select("td")[3].get_text(strip=True) for row in soup.select("#batches-content tbody tr")]
    assert classes == ["Class A"]
    assert batches == ["2 of 2 transcripts ready. Finished."]


def test_the_class_page_lists_each_students_newest_transcript(school, issued_batch):
    soup = BeautifulSoup(client_for(school.class_teacher).get(class_url(school.cohort)).content, "html.parser")
    newest = {
        row.select("td")[1].get_text(strip=True): row.select("td")[2].get_text(strip=True).split(",")[0]
        for row in soup.select("#students-content tbody tr")
    }
    assert newest == {"陈小红": "Version 1", "张小刚": "Version 1"}


@pytest.mark.parametrize("page", ["class_get", "issue_get", "issue_post", "batch", "progress", "student"])
def test_a_teacher_of_another_class_gets_404(school, issued_batch, other_class_teacher, page):
    client = client_for(other_class_teacher)
    response = {
        "class_get": lambda: client.get(class_url(school.cohort)),
        "issue_get": lambda: client.get(issue_url(school.cohort)),
        "issue_post": lambda: client.post(issue_url(school.cohort)),
        "batch": lambda: client.get(batch_url(issued_batch)),
        "progress": lambda: client.get(progress_url(issued_batch)),
        "student": lambda: client.get(reverse("transcripts_admin_student", args=[school.student.pk])),
    }[page]()
    assert response.status_code == 404


def test_a_teacher_of_another_class_issues_nothing(school, other_class_teacher):
    client_for(other_class_teacher).post(issue_url(school.cohort))
    assert not TranscriptBatch.objects.exists()


def test_an_administrator_may_issue_for_any_class(school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school.admin).post(issue_url(school.cohort))
    assert response.status_code == 302
    assert Transcript.objects.count() == 2


def test_the_transcripts_menu_is_offered_to_teachers(school):
    html = client_for(school.class_teacher).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("transcripts_admin_classes") in html


def test_the_transcripts_menu_is_not_offered_to_mentors(school):
    html = client_for(school.mentor).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("transcripts_admin_classes") not in html


def test_a_mentor_is_turned_away_from_the_transcripts_pages(school):
    response = client_for(school.mentor).get(reverse("transcripts_admin_classes"))
    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# --- A student's transcripts ---------------------------------------------------------------------------------


def test_the_students_page_links_back_to_the_class(school, issued_batch):
    page = soup_of(client_for(school.class_teacher).get(reverse("transcripts_admin_student", args=[school.student.pk])))
    links = [a["href"] for a in page.select("main a.button")]
    assert class_url(school.cohort) in links
    crumbs = [a["href"] for a in page.select("nav[aria-label=Breadcrumb] a, .w-breadcrumbs a") if a.get("href")]
    assert class_url(school.cohort) in crumbs


def test_a_revoked_version_gives_its_date_and_reason_without_a_doubled_full_stop(school, issued_batch):
    transcript = Transcript.objects.get(student=school.student)
    services.revoke_transcript(transcript=transcript, revoked_by=school.class_teacher, reason="Wrong class.")
    page = soup_of(client_for(school.class_teacher).get(reverse("transcripts_admin_student", args=[school.student.pk])))
    revocation = text(page.select_one(".transcript-revocation"))
    assert revocation.startswith("Revoked on ")
    assert "Reason: Wrong class." in revocation
    assert ".." not in revocation and ". ." not in revocation


def test_a_class_teacher_revokes_a_transcript_on_the_students_page(school, issued_batch):
    transcript = Transcript.objects.get(student=school.student)
    response = client_for(school.class_teacher).post(
        reverse("transcripts_admin_student", args=[school.student.pk]),
        {"transcript": transcript.pk, "reason": "Marks entered for the wrong class"},
    )
    assert response.status_code == 302
    transcript.refresh_from_db()
    assert (transcript.revoked_by, transcript.revocation_reason) == (
        school.class_teacher,
        "Marks entered for the wrong class",
    )


def test_revoking_without_a_reason_is_refused(school, issued_batch):
    transcript = Transcript.objects.get(student=school.student)
    response = client_for(school.class_teacher).post(
        reverse("transcripts_admin_student", args=[school.student.pk]), {"transcript": transcript.pk, "reason": ""}
    )
    assert response.status_code == 200
    transcript.refresh_from_db()
    assert transcript.revoked_at is None


def test_a_transcript_of_another_student_cannot_be_revoked_through_this_students_page(school, issued_batch):
    others = Transcript.objects.get(student=school.other_student)
    response = client_for(school.class_teacher).post(
        reverse("transcripts_admin_student", args=[school.student.pk]), {"transcript": others.pk, "reason": "x"}
    )
    assert response.status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None


def test_a_student_with_nothing_attained_is_skipped_and_the_batch_still_finishes(
    school, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="2024000009", first_name="新", last_name="王", roles=["Students"])
    EnrolmentFactory(cohort=school.cohort, student=newcomer)  # enrolled, no evidence yet
    with django_capture_on_commit_callbacks(execute=True):
        client_for(school.class_teacher).post(issue_url(school.cohort))
    batch = TranscriptBatch.objects.get()
    answer = client_for(school.class_teacher).get(progress_url(batch)).json()
    # 3 students: 2 issued and rendered, 1 skipped → 2 + 0 + 1 = 3 = total, so the batch is finished.
    assert (answer["done"], answer["skipped"], answer["total"], answer["finished"]) == (2, 1, 3, True)
    page = client_for(school.class_teacher).get(batch_url(batch)).content.decode()
    assert "Students who got no transcript" in page
    assert "王新" in page and "has not attained any competency yet" in page


def test_a_batch_task_renders_what_it_issues_without_a_second_render_task(
    school, waiting_batch, django_capture_on_commit_callbacks
):
    from portfolios.transcripts.tasks import issue_batch_transcript_task

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_batch_transcript_task.call(waiting_batch.pk, school.student.pk)
    assert callbacks == []
    assert Transcript.objects.get(batch=waiting_batch).render_status == RenderStatus.DONE
