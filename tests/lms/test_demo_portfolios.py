from django.core.management import call_command

from courses.models import EvidenceRecord
from portfolios.models import (
    Artefact,
    ArtefactKind,
    ArtefactStatus,
    PortfolioShare,
    Transcript,
    TranscriptFeedback,
    TranscriptGrant,
)


def test_demo_has_artefacts_of_every_kind_transcripts_and_a_rerun_changes_nothing(db):
    call_command("load_demo", verbosity=0)

    artefacts = Artefact.objects.all()
    assert {a.kind for a in artefacts} == set(ArtefactKind.values)
    statuses = {a.status for a in artefacts}
    assert {ArtefactStatus.DRAFT, ArtefactStatus.IN_REVIEW, ArtefactStatus.SIGNED_OFF} <= statuses
    verified = EvidenceRecord.objects.active().filter(source_key__startswith="portfolios.artefact:")
    assert verified.exists()
    assert PortfolioShare.objects.filter(revoked_at__isnull=True, employer__username="employer").count() == 1
    # The practice record was reviewed, then answered with a second version that waits for review again.
    responded = Artefact.objects.get(kind=ArtefactKind.PRACTICE, reviews__isnull=False)
    assert responded.status == ArtefactStatus.IN_REVIEW
    assert responded.current_version.number == 2

    # Transcripts: three students; one re-issued (v1 superseded by v2), one shared with the employer, one revoked.
    assert Transcript.objects.count() == 4
    assert Transcript.objects.filter(superseded_by__isnull=False).count() == 1
    assert Transcript.objects.filter(revoked_at__isnull=False).count() == 1
    assert TranscriptGrant.objects.filter(employer__username="employer", revoked_at__isnull=True).count() == 1
    # The employer said how much three competencies of the shared transcript matter (the demand report uses it).
    assert sorted(TranscriptFeedback.objects.values_list("importance", flat=True)) == [2, 4, 5]

    counts = (Artefact.objects.count(), EvidenceRecord.objects.count(), Transcript.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Artefact.objects.count(), EvidenceRecord.objects.count(), Transcript.objects.count()) == counts
