"""The public filters as GET parameters: parse them into a queries.OfferFilter and back.

The same parameters drive the map page, its list without JavaScript, the GeoJSON the markers
come from and the embeddable map, so a filtered map can be shared as a link:

    ?category=beratung&category=bildung&district=eving&language=ar&target_group=women
    &open_now=1&free=1&q=Sprachcafé&bbox=7.3,51.4,7.6,51.6

Parsing needs no database query (the GeoJSON view answers 304 before touching it); whether a
slug exists is checked by the HTML pages against the choices they show anyway (`unknown_values`).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from teilhabe.offers.queries import FilterError, OfferFilter, parse_bbox

# parameter name → OfferFilter field, for the parameters that may repeat
LIST_PARAMETERS = {
    "category": "categories",
    "district": "districts",
    "language": "languages",
    "target_group": "target_groups",
}
FLAG_PARAMETERS = {"open_now": "open_now", "free": "free_only"}
TEXT_PARAMETER = "q"
BBOX_PARAMETER = "bbox"
PARAMETERS = (*LIST_PARAMETERS, *FLAG_PARAMETERS, TEXT_PARAMETER, BBOX_PARAMETER)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
MAX_VALUES = 30
MAX_TEXT = 100
TRUE_VALUES = {"1", "on", "true", "yes"}
FALSE_VALUES = {"", "0", "off", "false", "no"}


@dataclass
class ParsedFilter:
    """What the visitor asked for, as an OfferFilter, and what could not be understood."""

    spec: OfferFilter
    errors: list[str] = field(default_factory=list)

    @property
    def normalized(self) -> str:
        """A canonical query string of the filter (sorted, without duplicates or blanks), so
        that equal filters share a cache entry and an ETag."""
        return normalized_query(self.spec)

    @property
    def is_active(self) -> bool:
        return not self.spec.is_empty


def parse(params: QueryDict | Mapping[str, str], *, strict: bool = False) -> ParsedFilter:
    """GET parameters → ParsedFilter.

    Bad values are left out of the filter and described in `errors`; with strict=True the first
    bad value raises FilterError instead (for the GeoJSON, which has nowhere to show a message).
    Parameters this module does not know (page, lang) are ignored.
    """
    errors: list[str] = []

    def fail(message: str) -> None:
        if strict:
            raise FilterError(message)
        errors.append(message)

    values: dict = {}
    for name, attribute in LIST_PARAMETERS.items():
        raw = _get_list(params, name)
        good = sorted({value.strip().lower() for value in raw if value.strip()})
        bad = [value for value in good if not SLUG.match(value)]
        for value in bad:
            fail(
                _("“%(value)s” is not a valid value for “%(name)s”.")
                % {"value": value[:40], "name": name}
            )
        good = [value for value in good if SLUG.match(value)]
        if len(good) > MAX_VALUES:
            fail(_("Too many values for “%(name)s”.") % {"name": name})
            good = good[:MAX_VALUES]
        values[attribute] = tuple(good)

    for name, attribute in FLAG_PARAMETERS.items():
        raw = (_get_list(params, name) or [""])[-1].strip().lower()
        if raw in TRUE_VALUES:
            values[attribute] = True
        elif raw not in FALSE_VALUES:
            fail(_("“%(name)s” must be 1 or 0.") % {"name": name})

    text = " ".join((_get_list(params, TEXT_PARAMETER) or [""])[-1].split())
    if len(text) > MAX_TEXT:
        fail(_("The search text may be at most %(count)d characters long.") % {"count": MAX_TEXT})
        text = text[:MAX_TEXT]
    values["text"] = text

    bbox = (_get_list(params, BBOX_PARAMETER) or [""])[-1].strip()
    if bbox:
        try:
            values["bbox"] = parse_bbox(bbox)
        except FilterError:
            fail(
                _(
                    "The map section (bbox) needs four numbers: west, south, east, north "
                    "(longitude and latitude)."
                )
            )
    return ParsedFilter(OfferFilter(**values), errors)


def unknown_values(spec: OfferFilter, known: Mapping[str, Iterable[str]]) -> list[str]:
    """Messages for slugs that name no category, district, language or target group.

    `known` maps a parameter name (category, district, …) to the values that exist.
    """
    labels = {
        "category": _("category"),
        "district": _("district"),
        "language": _("language"),
        "target_group": _("target group"),
    }
    messages = []
    for name, attribute in LIST_PARAMETERS.items():
        existing = set(known.get(name, ()))
        for value in getattr(spec, attribute):
            if value not in existing:
                messages.append(
                    _("There is no %(what)s “%(value)s”; it was left out of the filter.")
                    % {"what": labels[name], "value": value}
                )
    return messages


def without_unknown(spec: OfferFilter, known: Mapping[str, Iterable[str]]) -> OfferFilter:
    """The filter with unknown slugs dropped (so one typo does not empty the whole map)."""
    changes = {}
    for name, attribute in LIST_PARAMETERS.items():
        existing = set(known.get(name, ()))
        changes[attribute] = tuple(v for v in getattr(spec, attribute) if v in existing)
    return OfferFilter(**{**spec.__dict__, **changes})


def normalized_query(spec: OfferFilter) -> str:
    pairs: list[tuple[str, str]] = []
    for name, attribute in LIST_PARAMETERS.items():
        pairs.extend((name, value) for value in sorted(set(getattr(spec, attribute))))
    for name, attribute in FLAG_PARAMETERS.items():
        if getattr(spec, attribute):
            pairs.append((name, "1"))
    if spec.text.strip():
        pairs.append((TEXT_PARAMETER, spec.text.strip()))
    if spec.bbox:
        pairs.append((BBOX_PARAMETER, ",".join(f"{number:.6f}" for number in spec.bbox)))
    return urlencode(pairs)


def _get_list(params: QueryDict | Mapping[str, str], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name)
    return [] if value is None else [value]
