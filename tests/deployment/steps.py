"""What the deployment tests do inside a Kesai process configured for production (tests/deployment/harness.py).

Each step is a function of this module, run as
``python -c "import django; django.setup(); from tests.deployment.steps import main; main()" STEP ARGUMENTS``, its
keyword arguments given as one JSON object. It prints one line, ``KESAI-STEP: {json}``, with what it found; the tests
assert on that and on what they see themselves in the bucket, the database folder or Redis.

The steps go through the project's own services, views (with Django's test client, which calls the same WSGI
handler gunicorn does) and management commands: they prove the production configuration, not new code paths.
"""

import hashlib
import io
import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_ratelimit import core as ratelimit_core
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site

from courses.models import CourseTeacher
from courses.services import record_evidence
from courses.uploads import private_storage
from portfolios.models import ArtefactKind, ArtefactVersion, PortfolioIndexPage, Transcript
from portfolios.transcripts import services as transcripts
from portfolios.transcripts.tasks import render_transcript_task
from tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FrameworkFactory,
    ProgrammeFactory,
    UserFactory,
    course_index,
    course_page,
    outcome,
    site_home,
)
from themes.models import BrandingSettings

MARKER = "KESAI-STEP:"
#: The logo's size: the transcript PDF is searched for an image of exactly this size.
LOGO_SIZE = (64, 32)
#: The colours of the two images uploaded under the same name, in order.
LOGO_COLOURS = ((200, 30, 40), (30, 40, 200))


def main() -> None:
    step = STEPS[sys.argv[1]]
    payload = json.loads(sys.argv[2])
    now = payload.pop("ratelimit_now", None)
    if now is not None:
        _hold_ratelimit_clock(now)
    print(MARKER + json.dumps(step(**payload), default=str))


class _StillClock:
    """django-ratelimit counts per fixed window; every process of a test reads the same instant, so that a burst
    never straddles two windows (the same stand-in as tests/security/test_share_tokens.py)."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def _hold_ratelimit_clock(now: float) -> None:
    ratelimit_core.time = _StillClock(now)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _client(user=None, *, ip: str = "203.0.113.10") -> Client:
    """A browser behind the reverse proxy docs/deployment.md asks for: the proxy terminated HTTPS (X-Forwarded-Proto,
    so SECURE_SSL_REDIRECT lets the request through) and wrote the client's address into X-Real-IP (the header
    RATELIMIT_IP_META_KEY names when it is set)."""
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_X_REAL_IP=ip)
    if user is not None:
        client.force_login(user)
    return client


# --- The school ------------------------------------------------------------------------------------------------


def build_school():
    """A programme with one course outcome, a class with a student who has evidence, a portfolio index page.

    Evidence: the student scored 3 (mastery) on LO1 (aligned 1.0 to TRADE), so a transcript can be issued.
    """
    framework = FrameworkFactory(name="CBEC framework")
    trade = CompetencyFactory(framework=framework, code="TRADE", name="Trade knowledge", demand_weight=80)
    programme = ProgrammeFactory(framework=framework)
    course = course_page(index=course_index(programme=programme), code="EC101", title="Cross-border e-commerce")
    lo1 = outcome(course=course, code="LO1", aligned=[(trade, "1.0")])
    teacher = UserFactory(username="course.teacher", first_name="老师", last_name="课", roles=["Teachers"])
    CourseTeacher.objects.create(course=course, user=teacher)
    cohort = CohortFactory(programme=programme, name="Class A")
    cohort.teachers.add(teacher)
    student = UserFactory(username="2024000001", first_name="小红", last_name="陈", roles=["Students"])
    EnrolmentFactory(cohort=cohort, student=student)
    site_home().add_child(instance=PortfolioIndexPage(title="Portfolios", slug="portfolios"))
    record_evidence(
        student=student,
        outcome=lo1,
        score=Decimal("3"),
        done_on=date(2026, 3, 1),
        source_kind="course_assessment",
        source_title="EC101 listing project",
        recorded_by=teacher,
    )
    return student


# --- Media on S3 -----------------------------------------------------------------------------------------------


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", LOGO_SIZE, colour).save(out, format="PNG")
    return out.getvalue()


def _signature(url: str) -> dict:
    """How a media URL is signed (the signature version), and in how many seconds it expires."""
    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    return {
        "version": query.get("X-Amz-Algorithm", "v2" if "Signature" in query else ""),
        "signed": bool(query.get("X-Amz-Signature")),
        "expires_in": int(query.get("X-Amz-Expires", 0)),
    }


def media_flows(*, artefact_files: list[str]) -> dict:
    """Everything a web node does with media on S3: artefact uploads and downloads, same-name saves, a Wagtail
    image with a rendition used as the school's logo, a transcript rendered and downloaded by its owner."""
    student = build_school()
    owner = _client(student)
    found: dict = {}

    # Portfolio artefacts, uploaded through the student's form: two files with the same client name.
    create = reverse("portfolios:create_artefact", args=[ArtefactKind.REFLECTION])
    for number, content in enumerate(artefact_files, start=1):
        response = owner.post(
            create,
            {
                "title": f"Business plan {number}",
                "done_on": "2026-05-01",
                "visibility": "private",
                "file": SimpleUploadedFile("Business plan.pdf", content.encode(), content_type="application/pdf"),
            },
        )
        assert response.status_code == 302, response.content[:2000]
    versions = ArtefactVersion.objects.filter(artefact__portfolio__student=student).order_by("pk")
    found["artefacts"] = [
        {
            "name": version.file.name,
            "original_filename": version.original_filename,
            "downloaded_sha256": _sha256(_body(owner.get(reverse("portfolios:version_file", args=[version.pk])))),
            "storage": type(version.file.storage).__name__,
        }
        for version in versions
    ]

    # The same name saved twice, straight through each storage.
    found["same_name"] = {
        alias: [storages[alias].save("deployment/same-name.txt", ContentFile(text)) for text in (b"first", b"second")]
        for alias in ("default", "private")
    }

    # A Wagtail image (twice under the same file name), a rendition, and the logo on transcripts.
    image_model = get_image_model()
    images = []
    for colour in LOGO_COLOURS:
        image = image_model(title="School logo", file=ImageFile(io.BytesIO(_png(colour)), name="kesai-logo.png"))
        image.save()
        images.append(image)
    rendition = images[0].get_rendition("fill-32x16")
    BrandingSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults={"logo": images[0]})
    found["images"] = [{"name": image.file.name, "url": image.file.url} for image in images]
    found["rendition"] = {"name": rendition.file.name, "url": rendition.url}
    found["signatures"] = [_signature(url) for url in (images[0].file.url, rendition.url)]

    # A transcript: issued by the student, rendered (WeasyPrint, reading the logo from the bucket), downloaded.
    transcript = transcripts.issue_transcript(student=student, issued_by=student)
    transcript = transcripts.render_transcript(transcript=Transcript.objects.get(pk=transcript.pk))
    response = owner.get(reverse("transcripts:pdf", args=[transcript.pk]))
    downloaded = _body(response)
    found["transcript"] = {
        "render_status": transcript.render_status,
        "name": transcript.pdf.name,
        "pdf_sha256": transcript.pdf_sha256,
        "status": response.status_code,
        "content_disposition": response.get("Content-Disposition", ""),
        "downloaded_sha256": _sha256(downloaded),
        "downloaded_bytes": len(downloaded),
    }
    return found


def private_file_without_private_bucket() -> dict:
    """With AWS_PRIVATE_BUCKET_NAME unset: where a private file goes."""
    storage = private_storage()
    return {
        "name": storage.save("deployment/no-private-bucket.txt", ContentFile(b"private")),
        "bucket": storage.bucket_name,
    }


# --- Redis: cache, rate limits, RQ -----------------------------------------------------------------------------


def issue_and_share(*, cache_key: str, cache_value: str) -> dict:
    """A web node: a value put in the cache, a transcript issued (its PDF left to the workers) and shared."""
    student = build_school()
    cache.set(cache_key, cache_value, timeout=600)
    enqueued = []
    task_enqueued.connect(lambda sender, task_result, **_kwargs: enqueued.append(task_result), weak=False)
    transcript = transcripts.issue_transcript(student=student, issued_by=student)  # enqueues at its commit
    _link, token = transcripts.create_link(
        transcript=transcript, student=student, expires_at=timezone.now() + timedelta(days=7)
    )
    transcript.refresh_from_db()
    return {
        "cache_backend": settings.CACHES["default"]["BACKEND"],
        "task_backend": type(render_transcript_task.get_backend()).__name__,
        "enqueued": [
            {"id": result.id, "task": result.task.module_path, "args": result.args, "queue": result.task.queue_name}
            for result in enqueued
        ],
        "transcript": transcript.pk,
        "render_status": transcript.render_status,
        "pdf": transcript.pdf.name,
        "verification_code": transcript.verification_code,
        "token": token,
    }


def read_cache(*, cache_key: str) -> dict:
    return {"value": cache.get(cache_key)}


def open_public_pages(*, requests: list[list[str]]) -> dict:
    """Open the public transcript pages, as ``[kind, argument, client address]``: ``link`` (a secret link's
    token) or ``verify`` (a verification code). Returns the status of each, in order."""
    routes = {"link": "transcripts:shared", "verify": "transcripts:verify_code"}
    clients: dict[str, Client] = {}
    statuses = []
    for kind, argument, ip in requests:
        client = clients.setdefault(ip, _client(ip=ip))
        statuses.append(client.get(reverse(routes[kind], args=[argument])).status_code)
    return {"statuses": statuses}


def after_the_worker(*, transcript_id: int, job_id: str) -> dict:
    """Another web node, after a worker ran: the transcript's state, its task's result and the owner's download."""
    transcript = Transcript.objects.get(pk=transcript_id)
    result = render_transcript_task.get_result(job_id)
    response = _client(transcript.student).get(reverse("transcripts:pdf", args=[transcript.pk]))
    downloaded = _body(response)
    return {
        "render_status": transcript.render_status,
        "render_error": transcript.render_error,
        "pdf": transcript.pdf.name,
        "pdf_sha256": transcript.pdf_sha256,
        "task_status": str(result.status),
        "task_return_value": result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None,
        "task_worker_ids": list(result.worker_ids),
        "status": response.status_code,
        "downloaded_sha256": _sha256(downloaded),
    }


STEPS = {
    function.__name__: function
    for function in (
        media_flows,
        private_file_without_private_bucket,
        issue_and_share,
        read_cache,
        open_public_pages,
        after_the_worker,
    )
}
