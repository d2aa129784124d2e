"""Audit of personal-data records: who changed what, when (django-auditlog stores the entries).

Every module registers its personal-data models here or in its own apps.ready().
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import QuerySet

TIMESTAMPS = ["created_at", "updated_at"]


def register_personal_data_models() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from teilhabe.core.models import Membership, Organisation, User

    if auditlog.contains(User):
        return
    auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
    auditlog.register(Membership, exclude_fields=TIMESTAMPS)
    auditlog.register(
        Organisation,
        include_fields=["name", "contact_name", "email", "phone", "street", "is_active"],
    )
    # The secret key never goes into the log; that a device was added or confirmed does.
    auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])


def recent_entries(*, model_label: str | None = None) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if model_label:
        app_label, _dot, model = model_label.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    return entries
