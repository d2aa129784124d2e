from django.core.management.base import BaseCommand

from teilhabe.funding.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete old unsubmitted drafts, documents of withdrawn applications and old records of "
        "bank-data reads (safe to run hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        result = retention_apply(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"Funding retention {verb}: {result.drafts_deleted} drafts, "
            f"{result.documents_deleted} documents, {result.access_records_deleted} access records."
        )
