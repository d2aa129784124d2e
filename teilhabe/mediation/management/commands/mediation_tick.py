from django.core.management.base import BaseCommand

from teilhabe.mediation import services


class Command(BaseCommand):
    help = (
        "The pool's periodic work; safe to run every few minutes: unanswered offers past their "
        "deadline go to the next candidate, open requests past their fill deadline become "
        "unfilled (the requester is told once), and confirmed appointments of tomorrow get "
        "their reminder (once)."
    )

    def handle(self, *args, **options) -> None:
        result = services.tick()
        self.stdout.write(
            f"Offers expired: {result.expired}, requests unfilled: {result.unfilled}, "
            f"reminders sent: {result.reminded}."
        )
