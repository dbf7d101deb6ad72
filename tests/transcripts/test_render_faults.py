"""Faults while rendering: a worker killed half-way leaves no half-written PDF where a transcript could point,
its claim expires, and the rendering completes when it is enqueued again (``render_unfinished_transcripts``)."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone

from portfolios.models import RenderStatus, Transcript
from portfolios.transcripts import services
from tests.transcripts.conftest import fake_pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]

PROJECT = Path(__file__).resolve().parents[2]

#: A worker that writes the PDF through ``save_atomically`` on a disk so slow it never finishes flushing.
SLOW_WRITER = """
import os, sys, time
sys.path.insert(0, {project!r})
os.fsync = lambda fd: time.sleep(60)
from django.core.files.storage import FileSystemStorage
from portfolios.transcripts.services import save_atomically
save_atomically(FileSystemStorage(location={root!r}), "transcripts/2026/11/t.pdf", b"%PDF-1.7 " + b"x" * 100000)
"""


def left_as_by_a_killed_worker(transcript: Transcript, *, minutes_ago: int) -> None:
    Transcript.objects.filter(pk=transcript.pk).update(
        render_status=RenderStatus.RENDERING,
        pdf="",
        pdf_sha256="",
        render_started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_worker_killed_while_writing_leaves_no_file_under_the_final_name(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n" + SLOW_WRITER.format(project=str(PROJECT), root=str(tmp_path)),
        ],
        env=env,
    )
    folder = tmp_path / "transcripts" / "2026" / "11"
    deadline = time.monotonic() + 60
    while not (folder.exists() and any(folder.glob("*.part"))):
        assert worker.poll() is None, "the worker ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert not (folder / "t.pdf").exists()
    (partial,) = folder.glob("*.part")
    os.utime(partial, (time.time() - 3600, time.time() - 3600))
    assert services.remove_abandoned_partial_files(storage=FileSystemStorage(location=tmp_path)) == 1
    assert list(folder.iterdir()) == []


def test_a_rendering_another_worker_holds_is_left_to_it(transcript):
    left_as_by_a_killed_worker(transcript, minutes_ago=1)  # claimed a minute ago: still someone's
    transcript.refresh_from_db()
    services.render_transcript(transcript=transcript)
    transcript.refresh_from_db()
    assert (transcript.render_status, transcript.pdf.name) == (RenderStatus.RENDERING, "")


def test_an_abandoned_rendering_completes_when_enqueued_again(transcript):
    left_as_by_a_killed_worker(transcript, minutes_ago=11)
    assert services.requeue_unfinished_renders() == 1  # the test settings run tasks at once
    transcript.refresh_from_db()
    assert transcript.render_status == RenderStatus.DONE
    with transcript.pdf.open("rb") as stored:
        assert stored.read() == fake_pdf_bytes(transcript.verification_code)


def test_requeuing_leaves_fresh_finished_and_failed_renderings_alone(issue, transcript, school):
    fresh = issue(school.other_student)
    left_as_by_a_killed_worker(fresh, minutes_ago=2)
    failed = issue(school.student)
    Transcript.objects.filter(pk=failed.pk).update(render_status=RenderStatus.FAILED, render_error="Out of memory")
    assert services.requeue_unfinished_renders() == 0
    assert services.requeue_unfinished_renders(failed=True) == 1
    failed.refresh_from_db()
    assert failed.render_status == RenderStatus.DONE


def test_the_command_reports_what_it_did(transcript):
    left_as_by_a_killed_worker(transcript, minutes_ago=30)
    out = io.StringIO()
    call_command("render_unfinished_transcripts", "--older-than", "10", stdout=out)
    assert out.getvalue().strip() == "1 transcript(s) enqueued again; 0 partial file(s) removed."
