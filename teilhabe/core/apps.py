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
        # Groups need the permissions that migrate creates for every app, so roles follow
        # every migrate, once the last app has its permissions.
        post_migrate.connect(_sync_roles, dispatch_uid="teilhabe-sync-roles")


def _sync_roles(sender, **kwargs) -> None:
    from django.apps import apps

    from teilhabe.core import services

    if sender is list(apps.get_app_configs())[-1]:
        services.roles_sync()
