"""Background work for transcripts (django-tasks: the database worker locally, RQ on Redis when REDIS_URL is set).

Each task takes ids, not objects, and is safe to run twice: rendering skips a transcript that is already
rendered, and a batch member that already has a transcript in the batch is not issued again.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from portfolios.models import Transcript, TranscriptBatch, TranscriptBatchSkip


@task()
def render_transcript_task(transcript_id: int) -> str:
    from portfolios.transcripts.services import render_transcript

    transcript = render_transcript(transcript=Transcript.objects.get(pk=transcript_id))
    return transcript.pdf.name


@task()
def issue_batch_transcript_task(batch_id: int, student_id: int) -> int | None:
    from portfolios.transcripts.services import issue_transcript, render_transcript

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
