from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from teilhabe.core import demo


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo logins (demo installations only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Only in a demo installation (TEILHABE_DEMO=1).")
        totp = TOTP(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX))
        self.stdout.write(f"{totp.token():06d}")
