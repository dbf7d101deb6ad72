"""Enqueue the PDFs of transcripts left unfinished (a worker killed mid-render, a lost task) and remove the
partial files killed workers left behind. Safe to run often: run it from cron every few minutes."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from portfolios.transcripts.services import (
    ABANDONED_AFTER,
    remove_abandoned_partial_files,
    requeue_unfinished_renders,
)


class Command(BaseCommand):
    help = "Enqueue the rendering of transcripts left unfinished, and remove abandoned partial PDF files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(ABANDONED_AFTER.total_seconds() // 60),
            help="Minutes after which a waiting or started rendering counts as abandoned (default %(default)s).",
        )
        parser.add_argument("--failed", action="store_true", help="Also retry renderings that failed with an error.")

    def handle(self, *args, older_than: int, failed: bool, **options):
        age = timedelta(minutes=older_than)
        requeued = requeue_unfinished_renders(older_than=age, failed=failed)
        removed = remove_abandoned_partial_files(older_than=age)
        self.stdout.write(f"{requeued} transcript(s) enqueued again; {removed} partial file(s) removed.")
