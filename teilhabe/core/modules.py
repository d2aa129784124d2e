"""Hooks by which modules add their own reference and demo data without core importing them.

A module's AppConfig names a loader by dotted path (`reference_loader`, `demo_loader`); each
loader takes no arguments, is idempotent and returns how many rows it wrote.
"""

from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import import_string


def module_loaders(kind: str) -> list[Callable[[], int]]:
    return [
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, f"{kind}_loader", None))
    ]
