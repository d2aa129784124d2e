from django.apps import AppConfig
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
