from django.core.management.base import BaseCommand

from teilhabe.core import roles, services


class Command(BaseCommand):
    help = "Create or update one group per role declared in teilhabe/core/roles.py."

    def handle(self, *args, **options) -> None:
        services.roles_sync()
        self.stdout.write(", ".join(role.group_name for role in roles.ROLES))
