from django.conf import settings
from django.core.management.base import BaseCommand

from teilhabe.core import demo


class Command(BaseCommand):
    help = (
        "Load the Dortmund demo (districts, vocabulary, example organisations) and, where "
        "TEILHABE_DEMO=1, one login per role. Safe to run again: a second run changes nothing."
    )

    def handle(self, *args, **options) -> None:
        written = demo.demo_load(with_logins=settings.DEMO_MODE)
        self.stdout.write(f"Demo data: {written} rows written.")
        if not settings.DEMO_MODE:
            self.stdout.write("Demo logins are off (set TEILHABE_DEMO=1 to create them).")
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.LOGINS:
            extra = ""
            if login.role.requires_second_factor:
                extra = "  + second factor, see below"
            self.stdout.write(f"  {login.username:<10} {login.role.name}{extra}")
        self.stdout.write(
            "Second factor for staff, committee and school placement: add the key "
            f"{demo.DEMO_TOTP_KEY_BASE32} to an authenticator app, or print the current code "
            "with: .venv/bin/python manage.py demo_totp"
        )
