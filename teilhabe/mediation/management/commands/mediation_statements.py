from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from teilhabe.mediation import expense_services, expenses
from teilhabe.mediation.services import MediationError


def _month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month must look like 2025-05, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Create the mediators' expense statements of a month (default: the previous month) from "
        "done appointments and paid late cancellations. Idempotent and safe to run daily: a "
        "second run writes nothing; items reported late go onto the draft of their month, or, "
        "once that is approved, onto the mediator's next statement."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", type=_month, help="the month as YYYY-MM")

    def handle(self, *args, **options) -> None:
        month = options["month"] or expenses.previous_month(timezone.localdate())
        try:
            result = expense_services.statements_create(month=month)
        except MediationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Statements for {result.month:%Y-%m}: {result.statements} created, "
            f"{result.lines} lines added."
        )
