"""Background work for transcripts (django-tasks: the database worker locally, RQ on Redis when REDIS_URL is set).

Each task takes ids, not objects, and is safe to run twice: rendering skips a transcript that is already
rendered, and a batch member that already has a transcript in the batch is not issued again.
"""

import gc

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from portfolios.models import Transcript, TranscriptBatch, TranscriptBatchSkip

#: The youngest generation is collected after this many allocations (Python's default is 2,000, in 3.11).
RENDERING_GC_THRESHOLD = 50_000
_worker_tuned = False


def _tune_worker_for_rendering() -> None:
    """Once per worker process: make garbage collection cheaper for the many PDFs it will render.

    WeasyPrint allocates hundreds of thousands of short-lived objects per transcript. With Python's default
    thresholds the collector runs thousands of times per transcript and walks everything the process has
    loaded (Django, WeasyPrint, the fonts) on its older passes. ``gc.freeze()`` moves what is loaded by now out
    of its reach, and a higher first threshold makes it run less often; memory is still reclaimed, later.
    Measured with bench/cohort_transcripts.py: 0.46 → 0.40 s of worker CPU per transcript (docs/performance.md).
    """
    global _worker_tuned
    if _worker_tuned:
        return
    gc.collect()
    gc.freeze()
    _generation0, generation1, generation2 = gc.get_threshold()
    gc.set_threshold(max(RENDERING_GC_THRESHOLD, _generation0), generation1, generation2)
    _worker_tuned = True


@task()
def render_transcript_task(transcript_id: int) -> str:
    from portfolios.transcripts.services import render_transcript

    _tune_worker_for_rendering()
    transcript = render_transcript(transcript=Transcript.objects.get(pk=transcript_id))
    return transcript.pdf.name


@task()
def issue_batch_transcript_task(batch_id: int, student_id: int) -> int | None:
    from portfolios.transcripts.services import issue_transcript, render_transcript

    _tune_worker_for_rendering()
    batch = TranscriptBatch.objects.select_related("requested_by").get(pk=batch_id)
    existing = Transcript.objects.filter(batch=batch, student_id=student_id).first()
    if existing is None:
        try:
            existing = issue_transcript(
                student=get_user_model().objects.get(pk=student_id), issued_by=batch.requested_by, batch=batch
            )
        except ValidationError as error:
            # Counted as done-with-a-problem, so the batch still finishes; the teacher sees who and why.
            TranscriptBatchSkip.objects.get_or_create(
                batch=batch, student_id=student_id, defaults={"reason": " ".join(error.messages)}
            )
            return None
    render_transcript(transcript=existing)
    return existing.pk
