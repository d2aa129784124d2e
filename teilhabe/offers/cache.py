"""The map's version: a number in the cache that changes whenever anything public may have
changed, so the map and its GeoJSON answer conditional requests (304) without a database query.

Bumped by signals on every write to offers and the rows they show (admin, imports, services
alike): a cache key is the one thing here that must never be forgotten by any write path.
"""

import time

from django.core.cache import cache
from django.db import transaction

KEY = "offers:map-version"


def map_version() -> str:
    version = cache.get(KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    return version


def map_changed(**_kwargs) -> None:
    """A new version now, so this transaction's own requests see the change, and another when
    it commits: an answer made by a concurrent request in between, from the rows before the
    commit, is kept under the intermediate version and never served after it."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(KEY, str(time.time_ns()), timeout=None)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from teilhabe.core.models import District, Organisation
    from teilhabe.offers.models import Category, Offer, OfferTranslation, OneOffDate, WeeklySlot

    for model in (
        Offer,
        OfferTranslation,
        WeeklySlot,
        OneOffDate,
        Category,
        Organisation,
        District,
    ):
        post_save.connect(map_changed, sender=model, dispatch_uid=f"map-{model.__name__}-save")
        post_delete.connect(map_changed, sender=model, dispatch_uid=f"map-{model.__name__}-del")
    for through in (Offer.languages.through, Offer.target_groups.through):
        m2m_changed.connect(map_changed, sender=through, dispatch_uid=f"map-{through.__name__}")
