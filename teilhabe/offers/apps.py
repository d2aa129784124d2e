from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "teilhabe.offers"
    label = "offers"
    verbose_name = _("Offer map")
    # Called by `manage.py load_reference_data` and `load_demo` (see core's commands).
    reference_loader = "teilhabe.offers.reference.categories_load"
    demo_loader = "teilhabe.offers.demo.demo_load"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from teilhabe.offers import cache
        from teilhabe.offers.models import Offer

        cache.connect_signals()
        # SQLite drops a table's triggers when a migration rebuilds the table: put the text
        # index's triggers back (and refill it) after every migrate.
        post_migrate.connect(_ensure_text_index, sender=self, dispatch_uid="offers-text-index")
        # Offers carry a contact (phone, e-mail) that may be a person's.
        if not auditlog.contains(Offer):
            auditlog.register(
                Offer,
                include_fields=[
                    "title",
                    "status",
                    "email",
                    "phone",
                    "organisation",
                    "rejection_reason",
                ],
            )


def _ensure_text_index(using: str = "default", **_kwargs) -> None:
    from teilhabe.offers import search

    search.ensure_index(connections[using])
