from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from teilhabe.offers import hsds_io


class Command(BaseCommand):
    help = (
        "Export the public offers as HSDS 3.0 JSON into DIR, one file per object type, each a "
        "JSON array: services.json (fully nested services with organization, phones, "
        "schedules, languages, cost_options, attributes and service_at_locations), "
        "organizations.json (with the ids of their services), service_at_locations.json "
        "(with the location), locations.json, taxonomies.json (the categories and target "
        "groups taxonomies) and taxonomy_terms.json. Existing files of these names are "
        "replaced. Only public offers are exported; `import_hsds DIR` reads it back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *args, directory: Path, **options) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        try:
            counts = hsds_io.export_directory(directory)
        except OSError as exc:
            raise CommandError(f"Cannot write to {directory}: {exc}") from exc
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"Wrote {directory}: {summary}.")
