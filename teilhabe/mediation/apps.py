from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "teilhabe.mediation"
    label = "mediation"
    verbose_name = _("Language-mediator pool")
    demo_loader = "teilhabe.mediation.demo.demo_load"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from teilhabe.mediation.models import (
            Absence,
            AvailabilityWindow,
            MediatorLanguage,
            MediatorProfile,
            RequesterProfile,
        )

        # Mediators' and requesters' records are personal data: every change is audited.
        # Reads by staff are logged in MediatorRecordAccess (services.mediator_record_read).
        if not auditlog.contains(MediatorProfile):
            auditlog.register(
                MediatorProfile,
                exclude_fields=["created_at", "updated_at"],
                m2m_fields={"districts"},
            )
            auditlog.register(MediatorLanguage)
            auditlog.register(AvailabilityWindow)
            auditlog.register(Absence)
            auditlog.register(RequesterProfile, exclude_fields=["created_at", "updated_at"])
