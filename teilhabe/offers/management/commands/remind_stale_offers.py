"""Remind organisations of offers not confirmed for a long time; take very old ones off the map.

Safe to run every hour (cron, systemd timer): each reminder and each removal happens once.
"""

from django.core.management.base import BaseCommand

from teilhabe.offers import services


class Command(BaseCommand):
    help = (
        "Send one reminder per offer not confirmed for OFFERS_REMIND_AFTER_DAYS days and take "
        "offers off the map after OFFERS_REMOVE_AFTER_DAYS days. Safe to run every hour."
    )

    def handle(self, *args, **options) -> None:
        report = services.stale_offers_process()
        self.stdout.write(
            f"Reminders sent: {report.reminded}. Offers taken off the map: {report.left_map}."
        )
