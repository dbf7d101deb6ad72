"""``python manage.py create_signing_key``: a new Ed25519 key for signing transcript credentials."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portfolios.transcripts.signing import key_id, load_signing_key, public_key_pem, write_signing_key


class Command(BaseCommand):
    help = (
        "Write a new Ed25519 transcript signing key (PEM, readable by its owner only) to KESAI_SIGNING_KEY_FILE. "
        "Refuses to replace an existing key unless --force: transcripts signed with the old key would no longer "
        "verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace the key that is there.")
        parser.add_argument("--path", type=Path, help="Write the key here instead of KESAI_SIGNING_KEY_FILE.")
        parser.add_argument(
            "--retire-to",
            type=Path,
            metavar="FILE",
            help="First append the public key of the key in use now to FILE (KESAI_RETIRED_PUBLIC_KEYS_FILE), so "
            "that the transcripts it signed keep verifying.",
        )

    def handle(self, *args, **options):
        path = options["path"] or Path(settings.KESAI_SIGNING_KEY_FILE)
        if options["retire_to"]:
            current = load_signing_key().public_key()
            with open(options["retire_to"], "ab") as retired:
                retired.write(public_key_pem(current))
            self.stdout.write(f"Added the key in use now (key id {key_id(current)}) to {options['retire_to']}.")
        try:
            key = write_signing_key(path=path, force=options["force"])
        except FileExistsError:
            raise CommandError(
                f"{path} already holds a signing key. Transcripts signed with it verify only while it stays; "
                "replace it with --force only if you mean that."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote a new signing key to {path} (key id {key_id(key.public_key())})."))
        if settings.KESAI_SIGNING_KEY:
            self.stdout.write(
                self.style.WARNING("KESAI_SIGNING_KEY is set, and it is used instead of this file while it is.")
            )
