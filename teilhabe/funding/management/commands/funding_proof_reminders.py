"""Remind organisations of proofs of use that are due soon or overdue.

Safe to run every hour (cron, systemd timer), even twice at once: each reminder is sent once.
"""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from teilhabe.funding import proof_services


class Command(BaseCommand):
    help = (
        "E-mail organisations whose proof of use is due within "
        f"{proof_services.REMIND_DAYS_BEFORE} days, overdue, or still overdue "
        f"{proof_services.REMIND_AGAIN_AFTER_DAYS} days later. Safe to run every hour."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", help="Act as if it were this day (YYYY-MM-DD), e.g. to try it out."
        )

    def handle(self, *args, **options) -> None:
        now = None
        if options.get("today"):
            try:
                day = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today takes a date as YYYY-MM-DD") from error
            now = timezone.make_aware(datetime.combine(day, time(12)))
        report = proof_services.reminders_send(now=now)
        self.stdout.write(
            f"Reminders sent: due soon: {report.due_soon}, overdue: {report.overdue}, "
            f"still overdue: {report.overdue_again}."
        )
