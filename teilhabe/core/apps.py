from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "teilhabe.core"
    label = "core"
    verbose_name = _("Shared vocabulary and accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from teilhabe.core import audit

        audit.register_personal_data_models()
        # Groups need the permissions that migrate creates, so roles follow every migrate.
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(sender, **kwargs) -> None:
    from teilhabe.core import services

    services.roles_sync()
