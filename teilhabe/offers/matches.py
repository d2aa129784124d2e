"""What a moving map asks again: searches and offer records, kept in each worker process.

A visitor who searches ("Beratung", a category) and then pans or zooms the map asks the same
search again and again, each time with another bbox, and is shown mostly the same offers. The
text index finds the matches quickly, but every match must then be read, checked and put in
order again for each view (at 100,000 offers about 1,600 of them), and the offers shown be read
again: most of a request's time. So each process keeps

- the matches of a search (every filter but the bbox) in list order, with their coordinates; a
  new view only picks those inside its bbox (`public_ids`);
- the records of the offers it has shown (`offer_records`);

until the map changes: the map version (cache.py) is part of every key, and a change makes new
keys. Only a text search is kept, and only while it finds at most queries.ID_BATCH offers.

A search is made from the map's texts kept in this process (map_texts.py) where they can
answer it; any length of list then comes from them. Otherwise (a language, target group or
"open now" filter as well) the database searches; a list longer than ID_BATCH is then counted
and paged by it (queries.OrderedIds). An "open now" search holds for its minute.
"""

import dataclasses
from array import array
from datetime import datetime

from django.utils import timezone

from teilhabe.core.memory import Memory
from teilhabe.offers import map_texts, queries, search
from teilhabe.offers.cache import map_version

# Searches each process keeps (least recently used goes first): at most ID_BATCH matches of
# 24 bytes each, so a few megabytes at most.
SEARCHES = 256
# Offer records each process keeps (about 1 KB each).
RECORDS = 4096


searches = Memory(SEARCHES)
records = Memory(RECORDS)


@dataclasses.dataclass(frozen=True)
class _Found:
    """The matches of one search in list order: ids and coordinates side by side (NaN where
    an offer has none: it is in no bbox)."""

    ids: array
    longitudes: array
    latitudes: array


# What is kept for a search that finds more than ID_BATCH offers, so it is not read twice.
_TOO_MANY = _Found(array("q"), array("d"), array("d"))


class InBbox(queries.CountedIds):
    """The matches of a search inside a bbox, held here."""

    def __init__(self, ids: list[int]) -> None:
        self._ids = ids
        super().__init__(len(ids))

    def _slice(self, start: int, stop: int) -> list[int]:
        return self._ids[start:stop]


def public_ids(spec: queries.OfferFilter, now: datetime | None = None) -> queries.CountedIds:
    """The ids of the public offers matching `spec` in list order, counted and sliceable as
    queries.OrderedIds(queries.public_offers(spec, now)) is; a text search from memory."""
    if not search.normalized(spec.text):
        return queries.OrderedIds(queries.public_offers(spec, now))
    everywhere = dataclasses.replace(spec, bbox=None)
    minute = None
    if spec.open_now:
        now = now or timezone.now()
        minute = now.replace(second=0, microsecond=0)
    key = (map_version(), everywhere, minute)
    found = searches.get(key)
    if found is None:
        found = _search(everywhere, now)
        if len(found.ids) <= queries.ID_BATCH:  # a longer list is made again when asked
            searches.put(key, found)
    if found is _TOO_MANY:
        return queries.OrderedIds(queries.public_offers(spec, now))
    if spec.bbox is None:
        return InBbox(found.ids.tolist())
    west, south, east, north = spec.bbox
    return InBbox(
        [
            pk
            for pk, lon, lat in zip(found.ids, found.longitudes, found.latitudes, strict=True)
            if west <= lon <= east and south <= lat <= north
        ]
    )


def _search(spec: queries.OfferFilter, now: datetime | None) -> _Found:
    if map_texts.answers(spec):
        texts = map_texts.current()
        ranks = texts.ranks(spec)
        return _Found(
            array("q", map(texts.ids.__getitem__, ranks)),
            array("d", map(texts.longitudes.__getitem__, ranks)),
            array("d", map(texts.latitudes.__getitem__, ranks)),
        )
    rows = list(
        queries.public_offers(spec, now)
        .order_by("title", "pk")
        .values_list("pk", "longitude", "latitude")[: queries.ID_BATCH + 1]
    )
    if len(rows) > queries.ID_BATCH:
        return _TOO_MANY
    nan = float("nan")
    return _Found(
        array("q", (pk for pk, _lon, _lat in rows)),
        array("d", (nan if lon is None else lon for _pk, lon, _lat in rows)),
        array("d", (nan if lat is None else lat for _pk, _lon, lat in rows)),
    )


def offer_records(ids: list[int], language: str) -> list[dict]:
    """queries.offer_records(ids, language), reading only the offers this process has not
    shown in `language` since the map last changed."""
    version = map_version()
    known = {pk: records.get((version, language, pk)) for pk in ids}
    missing = [pk for pk, record in known.items() if record is None]
    for record in queries.offer_records(missing, language):
        known[record["id"]] = record
        records.put((version, language, record["id"]), record)
    return [known[pk] for pk in ids if known[pk] is not None]
