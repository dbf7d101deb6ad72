"""Demo transcripts: issued for a few students (one re-issued, so its first version is superseded), one shared
with the demo employer, and one revoked by the class teacher. Rendering happens in the task worker.

A student who already has a transcript is left alone, so a rerun issues nothing new.
"""

from django.contrib.auth.models import AbstractBaseUser

from portfolios.models import Transcript
from portfolios.transcripts.services import grant_to_employer, issue_transcript, revoke_transcript

COUNTED_MODELS = {"transcripts": Transcript}

#: Positions in content.STUDENT_NAMES: the first shares hers, the second re-issued his, the third was revoked.
SHARED, REISSUED, REVOKED = 0, 1, 2
REVOCATION_REASON = "Issued before the corrected Business English results were entered; re-issue after the review."


def build_transcripts(*, staff: dict[str, AbstractBaseUser], students: list[AbstractBaseUser]) -> None:
    teacher = staff["teacher"]
    for position in (SHARED, REISSUED, REVOKED):
        student = students[position]
        if Transcript.objects.filter(student=student).exists():
            continue
        transcript = issue_transcript(student=student, issued_by=student)
        if position == SHARED:
            grant_to_employer(transcript=transcript, student=student, employer=staff["employer"])
        elif position == REISSUED:
            issue_transcript(student=student, issued_by=teacher)
        elif position == REVOKED:
            revoke_transcript(transcript=transcript, revoked_by=teacher, reason=REVOCATION_REASON)
