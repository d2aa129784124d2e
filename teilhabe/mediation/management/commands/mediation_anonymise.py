from django.conf import settings
from django.core.management.base import BaseCommand

from teilhabe.mediation import services


class Command(BaseCommand):
    help = (
        "Anonymise mediators who left the pool more than MEDIATION_ANONYMISE_AFTER_DAYS days ago: "
        "name, e-mail, phone, availability and notes are removed, the log-in is closed; their "
        "assignments stay for statistics. Safe to run hourly."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        count = services.mediators_anonymise(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {count} mediator(s) (left more than "
            f"{settings.MEDIATION_ANONYMISE_AFTER_DAYS} days ago)."
        )
