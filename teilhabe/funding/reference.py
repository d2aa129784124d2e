"""The programmes every installation starts with: KOMM-AN NRW with its four measure types and
flat rates (DOMAIN.md §3) and the city's Masterplan project funding, each with review criteria.

Names are gettext msgids (shown through MeasureType.label / ReviewCriterion.label). Periods with
their budgets are not reference data: staff open them in the admin each year.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_noop

from teilhabe.core.models import Organisation
from teilhabe.core.services import upsert
from teilhabe.funding.models import MeasureType, Programme, ReviewCriterion

# Organisations that may apply to KOMM-AN NRW: providers, clubs, communities, initiatives and
# municipal offices (68 different ones got money in Dortmund) — not companies.
NON_PROFIT_KINDS = [kind for kind in Organisation.Kind.values if kind != "company"]


@dataclass(frozen=True)
class MeasureSeed:
    slug: str
    code: str
    name: str
    description: str
    kind: str
    unit_cents: int = 0
    unit_name: str = ""
    max_units: int | None = None
    max_amount_cents: int | None = None
    own_share_percent: int = 0
    eligible_kinds: list[str] = field(default_factory=lambda: list(NON_PROFIT_KINDS))


@dataclass(frozen=True)
class CriterionSeed:
    slug: str
    name: str
    description: str
    max_points: int = 5
    weight: int = 1


@dataclass(frozen=True)
class ProgrammeSeed:
    slug: str
    name: str
    funder: str
    description: str
    measures: tuple[MeasureSeed, ...]
    criteria: tuple[CriterionSeed, ...]


KOMM_AN = ProgrammeSeed(
    slug="komm-an-nrw",
    name="KOMM-AN NRW",
    funder="Land Nordrhein-Westfalen",
    description=gettext_noop(
        "State programme for the arrival of refugees and newcomers: arrival meeting points, "
        "accompaniment and orientation, information, and training for volunteers. Small "
        "associations are meant to get a chance too."
    ),
    measures=(
        MeasureSeed(
            slug="ankommenstreffpunkt",
            code="a",
            name=gettext_noop("Arrival meeting point (Ankommenstreffpunkt)"),
            description=gettext_noop(
                "Setting up, renovating, equipping and running a meeting point for newcomers."
            ),
            kind=MeasureType.Kind.FLAT_RATE,
            unit_cents=200_000,
            unit_name=gettext_noop("meeting point"),
            max_units=3,
        ),
        MeasureSeed(
            slug="begleitung-orientierung",
            code="b",
            name=gettext_noop("Accompaniment, meeting and orientation"),
            description=gettext_noop(
                "Low-threshold offers for meeting and orientation: language and women's cafés, "
                "information evenings, homework help, sports and cultural outings."
            ),
            kind=MeasureType.Kind.FLAT_RATE,
            unit_cents=25_000,
            unit_name=gettext_noop("low-threshold offer"),
            max_units=40,
        ),
        MeasureSeed(
            slug="information-wissen",
            code="c",
            name=gettext_noop("Information and knowledge transfer"),
            description=gettext_noop(
                "Information material, translations, events on schooling, work, residence law "
                "or health."
            ),
            kind=MeasureType.Kind.COST,
            max_amount_cents=500_000,
            own_share_percent=10,
        ),
        MeasureSeed(
            slug="qualifizierung-ehrenamt",
            code="d",
            name=gettext_noop("Training and exchange for volunteers"),
            description=gettext_noop(
                "Training, supervision and exchange for volunteers working with newcomers."
            ),
            kind=MeasureType.Kind.COST,
            max_amount_cents=300_000,
            own_share_percent=0,
        ),
    ),
    criteria=(
        CriterionSeed(
            "bedarf",
            gettext_noop("Need"),
            gettext_noop("Answers a need of newcomers in the district."),
        ),
        CriterionSeed(
            "reichweite",
            gettext_noop("Reach"),
            gettext_noop("Reaches newcomers who are otherwise hard to reach."),
        ),
        CriterionSeed(
            "ehrenamt",
            gettext_noop("Volunteering"),
            gettext_noop("Builds on and strengthens volunteer work."),
        ),
        CriterionSeed(
            "umsetzbarkeit",
            gettext_noop("Feasibility"),
            gettext_noop("Plan, schedule and costs are realistic."),
        ),
    ),
)

MASTERPLAN = ProgrammeSeed(
    slug="masterplan",
    name="Masterplan Migration/Integration",
    funder="Stadt Dortmund",
    description=gettext_noop(
        "The city's own grants for integration projects, tagged by the four fields of action of "
        "the Masterplan Migration/Integration."
    ),
    measures=(
        MeasureSeed(
            slug="integrationsprojekt",
            code="1",
            name=gettext_noop("Integration project"),
            description=gettext_noop(
                "A project in one or more fields of action: education, work and business, social "
                "balance in the districts, open and international city."
            ),
            kind=MeasureType.Kind.COST,
            max_amount_cents=1_000_000,
            own_share_percent=10,
        ),
    ),
    criteria=(
        CriterionSeed(
            "handlungsfeld",
            gettext_noop("Fields of action"),
            gettext_noop("Contributes to the goals of the Masterplan's fields of action."),
            weight=2,
        ),
        CriterionSeed(
            "teilhabe",
            gettext_noop("Participation"),
            gettext_noop("Newcomers and migrant organisations take part in shaping it."),
        ),
        CriterionSeed(
            "nachhaltigkeit",
            gettext_noop("Sustainability"),
            gettext_noop("What it builds lasts beyond the grant."),
        ),
        CriterionSeed(
            "umsetzbarkeit",
            gettext_noop("Feasibility"),
            gettext_noop("Plan, schedule and costs are realistic."),
        ),
    ),
)

PROGRAMMES: tuple[ProgrammeSeed, ...] = (KOMM_AN, MASTERPLAN)


@transaction.atomic
def programmes_load() -> int:
    """Create or update the seeded programmes; returns rows written (0 on a second run)."""
    written = 0
    for seed in PROGRAMMES:
        programme, changed = upsert(
            Programme,
            {"slug": seed.slug},
            {"name": seed.name, "funder": seed.funder, "description": seed.description},
        )
        written += changed
        for order, measure in enumerate(seed.measures, start=1):
            values = {
                name: getattr(measure, name)
                for name in (
                    "code",
                    "name",
                    "description",
                    "kind",
                    "unit_cents",
                    "unit_name",
                    "max_units",
                    "max_amount_cents",
                    "own_share_percent",
                    "eligible_kinds",
                )
            }
            _obj, changed = upsert(
                MeasureType,
                {"programme": programme, "slug": measure.slug},
                {**values, "sort_order": order},
            )
            written += changed
        for order, criterion in enumerate(seed.criteria, start=1):
            _obj, changed = upsert(
                ReviewCriterion,
                {"programme": programme, "slug": criterion.slug},
                {
                    "name": criterion.name,
                    "description": criterion.description,
                    "max_points": criterion.max_points,
                    "weight": criterion.weight,
                    "sort_order": order,
                },
            )
            written += changed
    return written
