from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from teilhabe.offers import hsds, hsds_io
from teilhabe.offers.models import Category


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import services in HSDS 3.0 JSON as offers IN REVIEW (staff approve them before they "
        "appear on the map; services without coordinates become drafts). FILE may hold one "
        "service, a list or page ({'contents': [...]}) of services, or organizations with their "
        "services; a directory is read as written by export_hsds (services.json, with "
        "organizations.json for the organizations). Everything is checked against the HSDS "
        "schemas first; all or nothing: on any error nothing is changed. What could not be "
        "mapped is listed as warnings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE")
        parser.add_argument(
            "--default-category",
            metavar="SLUG",
            help="category for services whose taxonomy terms match no category here",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but change nothing"
        )

    def handle(self, *args, path: Path, default_category: str | None, dry_run: bool, **options):
        category = None
        if default_category:
            category = Category.objects.filter(slug=default_category).first()
            if category is None:
                known = ", ".join(Category.objects.values_list("slug", flat=True))
                raise CommandError(f"No category {default_category!r} (known: {known}).")
        try:
            document, organizations = hsds_io.read_path(path)
            items = hsds.parse(document, organizations)
            with transaction.atomic():
                report = hsds_io.import_services(items, default_category=category)
                if dry_run:
                    raise _DryRun
        except hsds.HSDSImportError as exc:
            raise CommandError(f"{exc}. Nothing was changed.") from exc
        except _DryRun:
            pass
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        done = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{done} {len(report.offers)} offers "
            f"({sum(o.status == 'review' for o in report.offers)} in review, "
            f"{sum(o.status == 'draft' for o in report.offers)} drafts), "
            f"skipped {report.skipped}, created {len(report.organisations_created)} "
            f"organisations, {len(report.warnings)} warnings."
        )
