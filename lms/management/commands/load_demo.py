"""``python manage.py load_demo``: idempotent demo data for a cross-border e-commerce programme."""

import logging

from django.core.management.base import BaseCommand

from lms.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load demo data (site, framework, programme, courses, a cohort of 40 students, results and "
        "certificates). Safe to run again: existing rows are reused, nothing is duplicated."
    )

    def handle(self, *args, **options):
        if options["verbosity"] < 2:
            # Wagtail logs every page created and published; -v 2 shows them.
            logging.getLogger("wagtail").setLevel(logging.WARNING)
        report = load_demo()
        created = {label: count for label, count in report.created.items() if count}
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data loaded. New rows:"))
            for label, count in created.items():
                self.stdout.write(f"  {label:<20} +{count:<5} ({report.after[label]} in all)")
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already present; nothing was created."))
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {report.password}):")
        width = max(len(login.username) for login in report.logins)
        for login in report.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.name}  {login.role}")
