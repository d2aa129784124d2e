from django.core.management.base import BaseCommand

from teilhabe.core import services
from teilhabe.core.modules import module_loaders


class Command(BaseCommand):
    help = "Load the shared vocabulary: languages, fields of action, target groups; sync roles."

    def handle(self, *args, **options) -> None:
        services.roles_sync()
        written = services.reference_data_load()
        for loader in module_loaders("reference"):
            written += loader()
        self.stdout.write(f"Reference data: {written} rows written.")
