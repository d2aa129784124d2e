"""The public map's texts, kept in each worker process, so that a text search needs no database.

A text nobody asked before must be looked for in every offer. The database's text index
(search.py) finds the candidates quickly, but then reads, checks and orders each of them: at
100,000 offers and about 1,500 matches, some 15 ms of PostgreSQL's time and 3 ms of ours to
fetch them. So each process keeps, until the map changes (cache.map_version), what a search
looks at and what the common filters ask:

- per category, the texts of its public offers in list order (title, then id) as one string:
  German title and description, every translation's, and the organisation's name, in lower
  case and joined by search.SEPARATOR (which a search text cannot contain, so no match runs from
  one offer or field into the next);
- per offer in list order: id, place, district, organisation, free of charge.

A search is then a scan of one string per category asked for (about 2 MB at 100,000 offers,
1–5 ms). Built on the first search after each change of the map: about 1 s and 20 MB at
100,000 offers, a few milliseconds and kilobytes at Dortmund's 150 (bench/offers.py prints it).

Searches that also filter by language, target group or "open now" go to the database, which
has those relations (`answers`). Case is ignored as the database ignores it, one letter for
one letter (str.lower on both sides; not casefold, which would let "strasse" find "Straße" here
but not in the database's search behind the map's markers).
"""

import bisect
import threading
from array import array
from dataclasses import dataclass

from teilhabe.core.memory import Memory
from teilhabe.core.models import District, Organisation
from teilhabe.offers.cache import map_version
from teilhabe.offers.models import Category, Offer, OfferTranslation
from teilhabe.offers.queries import OfferFilter
from teilhabe.offers.search import SEPARATOR, normalized

_NONE = 0  # the district of an offer without one (ids start at 1)


@dataclass(frozen=True)
class _Texts:
    """One category's offers: their texts in list order, joined; where each one starts in
    `text`; and each one's place in the list of all offers (its rank)."""

    text: str
    starts: array
    ranks: array

    def ranks_containing(self, folded: str) -> list[int]:
        """The ranks of the offers whose texts contain `folded`, in list order."""
        find, starts, ranks, last = self.text.find, self.starts, self.ranks, len(self.starts) - 1
        found = []
        position = find(folded)
        while position >= 0:
            index = bisect.bisect_right(starts, position) - 1
            found.append(ranks[index])
            if index == last:
                break
            position = find(folded, starts[index + 1])  # on from the next offer's start
        return found


@dataclass(frozen=True)
class MapTexts:
    """The public offers in list order (index = rank) with what a search needs of them."""

    ids: array
    longitudes: array  # NaN where an offer has no place: it is in no bbox
    latitudes: array
    districts: array
    organisations: array
    free: bytes
    categories: dict[int, _Texts]
    category_ids: dict[str, int]
    district_ids: dict[str, int]

    def ranks(self, spec: OfferFilter) -> list[int]:
        """The ranks of the offers matching `spec` (text and the filters `answers` allows,
        but not its bbox), in list order."""
        folded = normalized(spec.text).lower()
        if spec.categories:
            wanted = {self.category_ids.get(slug) for slug in spec.categories}
            kept = [texts for pk, texts in self.categories.items() if pk in wanted]
        else:
            kept = list(self.categories.values())
        found: list[int] = []
        for texts in kept:
            found.extend(texts.ranks_containing(folded))
        if len(kept) > 1:
            found.sort()
        if spec.districts:
            districts = {self.district_ids.get(slug) for slug in spec.districts}
            found = [rank for rank in found if self.districts[rank] in districts]
        if spec.organisation_ids:
            organisations = set(spec.organisation_ids)
            found = [rank for rank in found if self.organisations[rank] in organisations]
        if spec.free_only:
            found = [rank for rank in found if self.free[rank]]
        return found


def answers(spec: OfferFilter) -> bool:
    """Whether the kept texts can answer `spec`: a text search without the filters that need
    the database's relations."""
    return bool(normalized(spec.text)) and not (
        spec.languages or spec.target_groups or spec.open_now
    )


kept = Memory(1)
_building = threading.Lock()


def current() -> MapTexts:
    """The texts of the map as it is now, built if the map changed since they were."""
    version = map_version()  # read first: what is built is at least as new as it
    texts = kept.get(version)
    if texts is None:
        with _building:  # one build at a time (threads of the development server)
            texts = kept.get(version)
            if texts is None:
                texts = build()
                kept.put(version, texts)
    return texts


# What is read of each public offer, in this order.
_FIELDS = (
    "pk", "category_id", "district_id", "organisation_id", "is_free",
    "longitude", "latitude", "title", "description",
)  # fmt: skip


def _document(*parts: str) -> str:
    return SEPARATOR.join(parts).lower()


def build() -> MapTexts:
    """Read the public offers' texts and filter values from the database."""
    public = Offer.objects.public()
    organisations = {
        pk: name.lower() for pk, name in Organisation.objects.values_list("pk", "name")
    }
    translations: dict[int, list[str]] = {}
    # Every translation, published or not, as the database's search has it.
    for offer_id, title, description in (
        OfferTranslation.objects.filter(offer__in=public)
        .order_by()
        .values_list("offer_id", "title", "description")
    ):
        translations.setdefault(offer_id, []).append(_document(title, description))
    ids, longitudes, latitudes = array("q"), array("d"), array("d")
    districts, owners, free = array("q"), array("q"), bytearray()
    documents: dict[int, tuple[list[str], array, array]] = {}
    lengths: dict[int, int] = {}
    nan = float("nan")
    rows = public.order_by("title", "pk").values_list(*_FIELDS).iterator(chunk_size=5000)
    for rank, (pk, category, district, owner, is_free, lon, lat, title, description) in enumerate(
        rows
    ):
        ids.append(pk)
        longitudes.append(nan if lon is None else lon)
        latitudes.append(nan if lat is None else lat)
        districts.append(district or _NONE)
        owners.append(owner)
        free.append(is_free)
        document = SEPARATOR.join(
            (_document(title, description), *translations.get(pk, ()), organisations[owner])
        )
        texts, starts, ranks = documents.setdefault(category, ([], array("q"), array("q")))
        starts.append(lengths.get(category, 0))
        lengths[category] = starts[-1] + len(document) + len(SEPARATOR)
        texts.append(document)
        ranks.append(rank)
    return MapTexts(
        ids=ids,
        longitudes=longitudes,
        latitudes=latitudes,
        districts=districts,
        organisations=owners,
        free=bytes(free),
        categories={
            category: _Texts(SEPARATOR.join(texts), starts, ranks)
            for category, (texts, starts, ranks) in documents.items()
        },
        category_ids=dict(Category.objects.values_list("slug", "pk")),
        district_ids=dict(District.objects.values_list("slug", "pk")),
    )
