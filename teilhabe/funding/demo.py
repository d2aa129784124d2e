"""Demo data of the funding module: KOMM-AN NRW 2018 as in the Dortmund documents and a
Masterplan year, decided, paid and (mostly) proven, so that every page and report has content;
plus an open KOMM-AN call in which the demo login `verein` (Africa Positive) has a draft and
`gremium` finds applications to score.

KOMM-AN NRW 2018: a budget of 216,351.59 €, about 120 applications from 68 organisations
(DOMAIN.md §3: 68 different providers) asking for about 420,000 € (≈ 2× the budget): arrival
meeting points at 2,000 €, low-threshold offers at 250 €, information and volunteer training
as cost-based measures. The committee's split is computed with the allocation module (small
organisations first up to 500 €, then by score). Every organisation added here carries "(Demo)"
in its name, every application and proof `is_demo` and a summary beginning with DEMO_NOTE.

`demo_plan()` is a pure function of a fixed seed; `demo_load()` writes only what differs from
the plan (compared in bulk), so a second run writes 0 rows. Dates of the open call are fixed
when it is first created.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from schwifty import IBAN

from teilhabe.core import demo as core_demo
from teilhabe.core.models import ActionField, District, Organisation, TargetGroup
from teilhabe.core.services import DataImportError, upsert
from teilhabe.funding import allocation as alloc
from teilhabe.funding.models import (
    Allocation,
    AllocationEntry,
    Application,
    Decision,
    FundingProfile,
    Instalment,
    Measure,
    MeasureType,
    Payment,
    PaymentPlan,
    Period,
    Programme,
    ProofCheck,
    ProofLine,
    ProofOfUse,
    Repayment,
    RepaymentClaim,
    Review,
    ReviewCriterion,
    Score,
)
from teilhabe.funding.reference import programmes_load
from teilhabe.funding.repayment import split_evenly
from teilhabe.funding.services import REASONS_DE

SEED = 2018
NAMESPACE = uuid.UUID("0b7f3c1e-5a2d-4e8b-9c6f-2d1a8e7b4c30")
BUDGET_2018_CENTS = 21_635_159
MASTERPLAN_BUDGET_CENTS = 15_000_000
DEMO_NOTE = "Demo-Datensatz: ein Beispiel, kein echter Antrag."
BANK_CODE = "37040044"
SMALL_FLOOR_CENTS = 50_000

DISTRICTS = (
    "Innenstadt-West",
    "Innenstadt-Nord",
    "Innenstadt-Ost",
    "Eving",
    "Scharnhorst",
    "Brackel",
    "Aplerbeck",
    "Hörde",
    "Hombruch",
    "Lütgendortmund",
    "Huckarde",
    "Mengede",
)

# Name pattern, organisation kind, small organisation.
NAME_PATTERNS: tuple[tuple[str, str, bool], ...] = (
    ("Willkommensinitiative {d}", "initiative", True),
    ("Nachbarschaftstreff {d}", "club", True),
    ("Interkultureller Verein {d}", "migrant", True),
    ("Elternnetzwerk {d}", "initiative", True),
    ("Frauencafé {d}", "initiative", True),
    ("Sport und Begegnung {d}", "club", True),
    ("Gemeindezentrum {d}", "religious", False),
    ("Stadtteilforum {d}", "club", False),
)
EXTRA_ORGANISATIONS = 56  # + the 12 of core's demo = 68

PERIOD_2018 = "2018"


@dataclass(frozen=True)
class PlannedOrganisation:
    slug: str
    name: str
    kind: str
    district: str
    is_small: bool


@dataclass(frozen=True)
class PlannedMeasure:
    type_slug: str
    title: str
    units: int = 0
    total_cost_cents: int = 0
    own_contribution_cents: int = 0
    participants: int = 0
    districts: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedApplication:
    key: str
    programme: str  # programme slug
    period: str  # PERIOD_2018 or "open"
    organisation: str  # slug
    title: str
    status: str  # "decided" | "submitted" | "checked" | "draft"
    action_fields: tuple[int, ...]
    measures: tuple[PlannedMeasure, ...]
    points: tuple[int, ...] = ()  # committee points per criterion (in criterion order)
    proof: str = "none"  # "accepted" | "submitted" | "draft" | "none"
    units_short: int = 0  # flat-rate units not delivered (first flat-rate line)
    cost_proven_percent: int = 100
    repaid: bool = False
    submitted_on: date | None = None

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, self.key)


@dataclass
class DemoPlan:
    organisations: list[PlannedOrganisation]
    applications: list[PlannedApplication] = field(default_factory=list)


# --- The plan (pure) -------------------------------------------------------------------------

OFFER_TITLES = (
    "Sprachcafé",
    "Frauencafé",
    "Hausaufgabenhilfe",
    "Orientierungsabende",
    "Kulturausflüge",
    "Offener Sporttreff",
    "Nähwerkstatt",
    "Elterncafé",
)
INFO_TITLES = (
    "Infoabende Schule und Ausbildung",
    "Mehrsprachige Infoblätter",
    "Gesundheitsinfo in Herkunftssprachen",
    "Inforeihe Aufenthalt und Arbeit",
)
TRAINING_TITLES = (
    "Qualifizierung Ehrenamtlicher",
    "Supervision für Ehrenamtliche",
    "Austauschtreffen Ehrenamt",
)
MASTERPLAN_TITLES = (
    ("Mentoring für Schülerinnen und Schüler", (1,)),
    ("Ausbildungslotsen", (2, 1)),
    ("Gründungsberatung für Migrantinnen", (2,)),
    ("Nachbarschaftsfest der Kulturen", (3, 4)),
    ("Stadtteilmütter", (3, 1)),
    ("Interkulturelle Woche im Quartier", (4,)),
    ("Lesepaten in Kitas", (1,)),
    ("Theaterprojekt Heimat", (4, 1)),
    ("Begegnungsgarten", (3,)),
    ("Mehrsprachige Stadtführungen", (4,)),
    ("Brückenbauer im Stadtbezirk", (3,)),
    ("Digitale Lernwerkstatt", (1, 3)),
    ("Sport verbindet", (3, 4)),
    ("Erzählcafé Migrationsgeschichte", (4,)),
    ("Elternschule", (1, 3)),
)
TARGET_GROUPS = ("women", "children", "families", "youth", "eu-newcomers", "seniors")


def _extra_organisations(rng: random.Random) -> list[PlannedOrganisation]:
    combos = [(pattern, district) for pattern in NAME_PATTERNS for district in DISTRICTS]
    rng.shuffle(combos)
    result = []
    for (pattern, kind, small), district in combos[:EXTRA_ORGANISATIONS]:
        name = pattern.format(d=district)
        result.append(
            PlannedOrganisation(
                slug=f"{slugify(name)}-fdemo",
                name=f"{name} (Demo)",
                kind=kind,
                district=district,
                is_small=small,
            )
        )
    return sorted(result, key=lambda o: o.slug)


def _core_organisations() -> list[PlannedOrganisation]:
    # The districts of core's demo organisations, by where they sit (see core/demo.py).
    homes = {
        "awo-demo": "Innenstadt-West",
        "caritas-demo": "Innenstadt-Ost",
        "diakonie-demo": "Innenstadt-Ost",
        "paritaet-demo": "Brackel",
        "vmdo-demo": "Innenstadt-Nord",
        "africa-positive-demo": "Innenstadt-Nord",
        "sprachcafe-eving-demo": "Eving",
        "sportverein-scharnhorst-demo": "Scharnhorst",
        "moschee-huckarde-demo": "Huckarde",
        "kirche-hombruch-demo": "Hombruch",
        "fluechtlingshilfe-mengede-demo": "Mengede",
        "vhs-demo": "Innenstadt-West",
    }
    return [
        PlannedOrganisation(
            slug=o.slug,
            name=o.name,
            kind=o.kind,
            district=homes.get(o.slug, "Innenstadt-Nord"),
            is_small=o.is_small,
        )
        for o in core_demo.ORGANISATIONS
    ]


def _komm_an_measures(
    rng: random.Random, organisation: PlannedOrganisation
) -> tuple[tuple[PlannedMeasure, ...], tuple[int, ...]]:
    home = organisation.district
    neighbour = DISTRICTS[(DISTRICTS.index(home) + rng.choice((1, -1))) % len(DISTRICTS)]
    places = (home,) if rng.random() < 0.7 else (home, neighbour)
    groups = ("refugees", rng.choice(TARGET_GROUPS))
    draw = rng.random()
    measures = []
    fields: tuple[int, ...]
    if draw < 0.32:
        units = 2 if rng.random() < 0.25 else 1
        measures.append(
            PlannedMeasure(
                "ankommenstreffpunkt",
                f"Ankommenstreffpunkt {home}",
                units=units,
                participants=30 * units,
                districts=(home,),
                target_groups=groups,
            )
        )
        fields = (3,)
    elif draw < 0.74:
        units = rng.randint(5, 27)
        measures.append(
            PlannedMeasure(
                "begleitung-orientierung",
                f"{rng.choice(OFFER_TITLES)} {home}",
                units=units,
                participants=6 * units,
                districts=places,
                target_groups=groups,
            )
        )
        fields = rng.choice(((3,), (3, 4), (4,), (1, 3)))
    elif draw < 0.88:
        cost = rng.randrange(1_500_00, 5_000_00, 50_00)
        measures.append(
            PlannedMeasure(
                "information-wissen",
                rng.choice(INFO_TITLES),
                total_cost_cents=cost,
                own_contribution_cents=cost // 10,
                participants=rng.randint(20, 150),
                districts=places,
                target_groups=groups,
            )
        )
        fields = (1,)
    else:
        cost = rng.randrange(1_000_00, 3_000_00, 50_00)
        measures.append(
            PlannedMeasure(
                "qualifizierung-ehrenamt",
                rng.choice(TRAINING_TITLES),
                total_cost_cents=cost,
                participants=rng.randint(8, 40),
                districts=(home,),
                target_groups=("everyone",),
            )
        )
        fields = (4,)
    if rng.random() < 0.3 and measures[0].type_slug != "begleitung-orientierung":
        units = rng.randint(4, 12)
        measures.append(
            PlannedMeasure(
                "begleitung-orientierung",
                f"{rng.choice(OFFER_TITLES)} {home}",
                units=units,
                participants=6 * units,
                districts=(home,),
                target_groups=groups,
            )
        )
    return tuple(measures), fields


def demo_plan() -> DemoPlan:
    """Everything the demo writes, from a fixed seed (no database)."""
    rng = random.Random(SEED)  # noqa: S311 - a fixed, reproducible demo, not a secret
    organisations = _core_organisations() + _extra_organisations(rng)
    plan = DemoPlan(organisations=organisations)
    # KOMM-AN NRW 2018: 68 organisations, 52 of them with a second application → 120.
    twice = {o.slug for o in rng.sample(organisations, 52)}
    number = 0
    for organisation in organisations:
        for _round in range(2 if organisation.slug in twice else 1):
            number += 1
            measures, fields = _komm_an_measures(rng, organisation)
            proof_draw = rng.random()
            proof = (
                "accepted"
                if proof_draw < 0.78
                else "submitted"
                if proof_draw < 0.9
                else "draft"
                if proof_draw < 0.95
                else "none"
            )
            if organisation.slug == "africa-positive-demo":
                proof = "none"  # for the demo login `verein` to file
            plan.applications.append(
                PlannedApplication(
                    key=f"komm-an-2018-{number}",
                    programme="komm-an-nrw",
                    period=PERIOD_2018,
                    organisation=organisation.slug,
                    title=measures[0].title,
                    status="decided",
                    action_fields=fields,
                    measures=measures,
                    points=tuple(rng.randint(1, 5) for _criterion in range(4)),
                    proof=proof,
                    units_short=1 if rng.random() < 0.2 else 0,
                    cost_proven_percent=rng.choice((100, 100, 100, 90, 80)),
                    repaid=rng.random() < 0.6,
                    submitted_on=date(2018, 1, 1) + timedelta(days=rng.randint(0, 29)),
                )
            )
    # Masterplan 2018: 15 projects tagged by field of action, all approved.
    for number, (title, fields) in enumerate(MASTERPLAN_TITLES, start=1):
        organisation = rng.choice(organisations)
        cost = rng.randrange(4_000_00, 11_000_00, 100_00)
        plan.applications.append(
            PlannedApplication(
                key=f"masterplan-2018-{number}",
                programme="masterplan",
                period=PERIOD_2018,
                organisation=organisation.slug,
                title=title,
                status="decided",
                action_fields=fields,
                measures=(
                    PlannedMeasure(
                        "integrationsprojekt",
                        title,
                        total_cost_cents=cost,
                        own_contribution_cents=max(cost - 10_000_00, cost // 10),
                        participants=rng.randint(20, 200),
                        districts=(organisation.district,),
                        target_groups=("everyone",),
                    ),
                ),
                points=tuple(rng.randint(2, 5) for _criterion in range(4)),
                proof="accepted" if number % 5 else "submitted",
                submitted_on=date(2018, 2, 1) + timedelta(days=number),
            )
        )
    # The open call: verein's draft, six waiting for the formal check, six for the committee.
    plan.applications.append(
        PlannedApplication(
            key="komm-an-open-africa-positive",
            programme="komm-an-nrw",
            period="open",
            organisation="africa-positive-demo",
            title="Ankommenstreffpunkt Nordstadt",
            status="draft",
            action_fields=(3,),
            measures=(
                PlannedMeasure(
                    "ankommenstreffpunkt",
                    "Ankommenstreffpunkt Nordstadt",
                    units=2,
                    participants=60,
                    districts=("Innenstadt-Nord",),
                    target_groups=("refugees", "families"),
                ),
            ),
        )
    )
    others = [o for o in organisations if o.slug != "africa-positive-demo"]
    for number, organisation in enumerate(rng.sample(others, 12), start=1):
        measures, fields = _komm_an_measures(rng, organisation)
        plan.applications.append(
            PlannedApplication(
                key=f"komm-an-open-{number}",
                programme="komm-an-nrw",
                period="open",
                organisation=organisation.slug,
                title=measures[0].title,
                status="submitted" if number <= 6 else "checked",
                action_fields=fields,
                measures=measures,
            )
        )
    return plan


def requested_cents(measure: PlannedMeasure, unit_cents: dict[str, int]) -> int:
    if measure.units:
        return measure.units * unit_cents[measure.type_slug]
    return measure.total_cost_cents - measure.own_contribution_cents


# --- Writing: compare in bulk, write only what differs ---------------------------------------


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Sync:
    """Counts rows written; `rows()` makes a model's rows in a scope exactly the wanted ones
    (by a natural key), creating and updating in bulk and writing nothing when all is equal."""

    def __init__(self) -> None:
        self.written = 0
        self.by_model: dict[str, int] = {}

    def rows(
        self,
        model: type[models.Model],
        key: tuple[str, ...],
        wanted: list[dict],
        scope: models.Q,
        *,
        fixed: tuple[str, ...] = (),
        delete_others: bool = False,
    ) -> dict[tuple, models.Model]:
        """`fixed`: fields set on creation although auto_now_add (dates of the story)."""
        existing = {
            tuple(getattr(o, k) for k in key): o for o in model._default_manager.filter(scope)
        }
        create, update, changed = [], [], set()
        wanted_keys = set()
        for values in wanted:
            row_key = tuple(values[k] for k in key)
            wanted_keys.add(row_key)
            obj = existing.get(row_key)
            if obj is None:
                create.append(model(**values))
                continue
            diff = [name for name, value in values.items() if getattr(obj, name) != value]
            if diff:
                for name in diff:
                    setattr(obj, name, values[name])
                update.append(obj)
                changed.update(diff)
        if create:
            model._default_manager.bulk_create(create)
            if fixed:
                created = list(
                    model._default_manager.filter(scope).exclude(
                        pk__in=[o.pk for o in existing.values()]
                    )
                )
                by_key = {tuple(values[k] for k in key): values for values in wanted}
                for obj in created:
                    for name in fixed:
                        setattr(obj, name, by_key[tuple(getattr(obj, k) for k in key)][name])
                model._default_manager.bulk_update(created, list(fixed))
        if update:
            model._default_manager.bulk_update(update, sorted(changed))
        removed = 0
        if delete_others:
            others = [o.pk for k, o in existing.items() if k not in wanted_keys]
            if others:
                removed, _detail = model._default_manager.filter(pk__in=others).delete()
        count = len(create) + len(update) + removed
        self.written += count
        if count:
            label = model._meta.label
            self.by_model[label] = self.by_model.get(label, 0) + count
        if not create:
            return {k: o for k, o in existing.items() if k in wanted_keys}
        return {tuple(getattr(o, k) for k in key): o for o in model._default_manager.filter(scope)}


def _organisations_load(sync: _Sync, plan: DemoPlan) -> dict[str, Organisation]:
    # Names and ids only: a district row carries its whole boundary.
    districts = dict(District.objects.values_list("name", "pk"))
    core = {o.slug for o in core_demo.ORGANISATIONS}
    missing_core = core - set(
        Organisation.objects.filter(slug__in=core).values_list("slug", flat=True)
    )
    if missing_core:
        raise DataImportError(
            f"demo organisations missing: {', '.join(sorted(missing_core))} "
            "(run manage.py load_demo)"
        )
    for planned in plan.organisations:
        if planned.slug in core:
            continue
        _org, changed = upsert(
            Organisation,
            {"slug": planned.slug},
            {
                "name": planned.name,
                "kind": planned.kind,
                "city": "Dortmund",
                "district_id": districts.get(planned.district),
                "is_small": planned.is_small,
                "email": f"info@{planned.slug}.example.org",
                "description": "Demo-Datensatz: ein Beispiel, keine echte Kontaktangabe.",
            },
        )
        sync.written += changed
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=[p.slug for p in plan.organisations])
    }
    profiles = []
    for number, planned in enumerate(sorted(plan.organisations, key=lambda p: p.slug), start=1):
        organisation = organisations[planned.slug]
        profiles.append(
            {
                "organisation_id": organisation.pk,
                "legal_form": "ev"
                if planned.kind in ("club", "migrant", "initiative")
                else "other",
                "account_holder": organisation.name,
                "iban": IBAN.generate(
                    "DE", bank_code=BANK_CODE, account_code=f"{9_100_000_000 + number:010d}"
                ).compact,
                "bic": "COBADEFFXXX",
                "contact_name": "Demo-Kontakt",
                "contact_email": f"foerderung@{planned.slug}.example.org",
            }
        )
    sync.rows(
        FundingProfile,
        ("organisation_id",),
        profiles,
        models.Q(organisation_id__in=[o.pk for o in organisations.values()]),
    )
    return organisations


def _periods_load(sync: _Sync, programmes: dict[str, Programme], now: datetime) -> dict:
    periods = {}
    periods[("komm-an-nrw", PERIOD_2018)], changed = upsert(
        Period,
        {"programme": programmes["komm-an-nrw"], "name": PERIOD_2018},
        {
            "budget_cents": BUDGET_2018_CENTS,
            "applications_open": _aware(date(2017, 11, 1), 0),
            "applications_close": _aware(date(2018, 1, 31), 23),
            "decision_date": date(2018, 3, 15),
            "starts_on": date(2018, 4, 1),
            "ends_on": date(2018, 12, 31),
            "proof_due_on": date(2019, 3, 31),
            "is_demo": True,
        },
    )
    sync.written += changed
    periods[("masterplan", PERIOD_2018)], changed = upsert(
        Period,
        {"programme": programmes["masterplan"], "name": PERIOD_2018},
        {
            "budget_cents": MASTERPLAN_BUDGET_CENTS,
            "applications_open": _aware(date(2017, 12, 1), 0),
            "applications_close": _aware(date(2018, 2, 28), 23),
            "decision_date": date(2018, 4, 12),
            "starts_on": date(2018, 5, 1),
            "ends_on": date(2018, 12, 31),
            "proof_due_on": date(2019, 3, 31),
            "is_demo": True,
        },
    )
    sync.written += changed
    # The open call: its dates are fixed when first created (a year from then).
    current = (
        Period.objects.filter(programme=programmes["komm-an-nrw"], is_demo=True)
        .exclude(name=PERIOD_2018)
        .first()
    )
    if current is None:
        today = timezone.localdate(now)
        current = Period.objects.create(
            programme=programmes["komm-an-nrw"],
            name=f"{today.year} (Demo)",
            budget_cents=BUDGET_2018_CENTS,
            applications_open=_aware(today - timedelta(days=30), 0),
            applications_close=_aware(today + timedelta(days=365), 23),
            decision_date=today + timedelta(days=380),
            starts_on=today + timedelta(days=390),
            ends_on=today + timedelta(days=390 + 270),
            is_demo=True,
        )
        sync.written += 1
    periods[("komm-an-nrw", "open")] = current
    return periods


def _score(points: tuple[int, ...], criteria: list[ReviewCriterion]) -> Decimal:
    reached = sum(p * c.weight for p, c in zip(points, criteria, strict=False))
    possible = sum(c.max_points * c.weight for c in criteria)
    return (Decimal(100) * reached / possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


STATUS_BY_OUTCOME = {
    "approved": Application.Status.APPROVED,
    "partially_approved": Application.Status.PARTIALLY_APPROVED,
    "rejected": Application.Status.REJECTED,
}


@transaction.atomic
def demo_load(now: datetime | None = None) -> int:
    """Write the funding demo. Returns how many rows were written; 0 when all is as planned."""
    now = now or timezone.now()
    sync = _Sync()
    sync.written += programmes_load()
    plan = demo_plan()
    programmes = {p.slug: p for p in Programme.objects.all()}
    organisations = _organisations_load(sync, plan)
    periods = _periods_load(sync, programmes, now)
    types = {(t.programme.slug, t.slug): t for t in MeasureType.objects.select_related("programme")}
    criteria = {
        slug: list(ReviewCriterion.objects.filter(programme=p).order_by("sort_order", "pk"))
        for slug, p in programmes.items()
    }
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["verein", "gremium"])
    }
    unit_cents = {slug: t.unit_cents for (_p, slug), t in types.items()}

    # Applications.
    rows = []
    for planned in plan.applications:
        period = periods[(planned.programme, planned.period)]
        organisation = organisations[planned.organisation]
        submitted = planned.status != "draft"
        submitted_at = (
            _aware(planned.submitted_on)
            if planned.submitted_on
            else _aware(timezone.localdate(period.applications_open) + timedelta(days=3))
            if submitted
            else None
        )
        rows.append(
            {
                "uuid": planned.uuid,
                "period_id": period.pk,
                "organisation_id": organisation.pk,
                "status": planned.status if planned.status != "decided" else "checked",
                "title": planned.title,
                "summary": f"{DEMO_NOTE} {planned.title} – {organisation.name}.",
                "requested_cents": sum(requested_cents(m, unit_cents) for m in planned.measures),
                "small_organisation": organisation.is_small,
                "submitted_at": submitted_at,
                "created_by_id": users["verein"].pk
                if planned.organisation == "africa-positive-demo" and "verein" in users
                else None,
                "is_demo": True,
            }
        )
    # Decided applications get their status with the decisions below; keep it if already there.
    decided_now = dict(
        Application.objects.filter(uuid__in=[r["uuid"] for r in rows]).values_list("uuid", "status")
    )
    for row in rows:
        if (
            row["status"] == "checked"
            and decided_now.get(row["uuid"]) in STATUS_BY_OUTCOME.values()
        ):
            row["status"] = decided_now[row["uuid"]]
    applications = {
        key[0]: obj
        for key, obj in sync.rows(
            Application, ("uuid",), rows, models.Q(uuid__in=[r["uuid"] for r in rows])
        ).items()
    }
    by_plan = {p.key: applications[p.uuid] for p in plan.applications}
    application_ids = [a.pk for a in applications.values()]

    # Measures, their districts and target groups; the applications' fields of action.
    districts = dict(District.objects.values_list("name", "pk"))
    groups = {g.slug: g.pk for g in TargetGroup.objects.all()}
    fields_of_action = {f.number: f.pk for f in ActionField.objects.all()}
    measure_rows = []
    for planned in plan.applications:
        application = by_plan[planned.key]
        for order, measure in enumerate(planned.measures, start=1):
            measure_type = types[(planned.programme, measure.type_slug)]
            measure_rows.append(
                {
                    "application_id": application.pk,
                    "sort_order": order,
                    "measure_type_id": measure_type.pk,
                    "title": measure.title,
                    "description": DEMO_NOTE,
                    "units": measure.units,
                    "unit_cents": measure_type.unit_cents if measure.units else 0,
                    "total_cost_cents": measure.total_cost_cents,
                    "own_contribution_cents": measure.own_contribution_cents,
                    "requested_cents": requested_cents(measure, unit_cents),
                    "expected_participants": measure.participants,
                    "starts_on": application.period.starts_on,
                    "ends_on": application.period.ends_on,
                }
            )
    measures = sync.rows(
        Measure,
        ("application_id", "sort_order"),
        measure_rows,
        models.Q(application_id__in=application_ids),
    )
    district_rows, group_rows, field_rows = [], [], []
    for planned in plan.applications:
        application = by_plan[planned.key]
        for order, measure in enumerate(planned.measures, start=1):
            measure_id = measures[(application.pk, order)].pk
            district_rows += [
                {"measure_id": measure_id, "district_id": districts[name]}
                for name in measure.districts
                if name in districts
            ]
            group_rows += [
                {"measure_id": measure_id, "targetgroup_id": groups[slug]}
                for slug in measure.target_groups
                if slug in groups
            ]
        field_rows += [
            {"application_id": application.pk, "actionfield_id": fields_of_action[number]}
            for number in planned.action_fields
        ]
    measure_ids = [m.pk for m in measures.values()]
    sync.rows(
        Measure.districts.through,
        ("measure_id", "district_id"),
        district_rows,
        models.Q(measure_id__in=measure_ids),
        delete_others=True,
    )
    sync.rows(
        Measure.target_groups.through,
        ("measure_id", "targetgroup_id"),
        group_rows,
        models.Q(measure_id__in=measure_ids),
        delete_others=True,
    )
    sync.rows(
        Application.action_fields.through,
        ("application_id", "actionfield_id"),
        field_rows,
        models.Q(application_id__in=application_ids),
        delete_others=True,
    )

    # The committee's reviews (by the demo login `gremium`, where it exists).
    scored = [p for p in plan.applications if p.points]
    scores = {p.key: _score(p.points, criteria[p.programme]) for p in scored}
    if "gremium" in users:
        reviewer = users["gremium"]
        reviews = sync.rows(
            Review,
            ("application_id", "reviewer_id"),
            [
                {
                    "application_id": by_plan[p.key].pk,
                    "reviewer_id": reviewer.pk,
                    "recommendation": "fund" if scores[p.key] >= 50 else "fund_partly",
                    "comment": DEMO_NOTE,
                    "score": scores[p.key],
                }
                for p in scored
            ],
            models.Q(application_id__in=application_ids, reviewer=reviewer),
        )
        sync.rows(
            Score,
            ("review_id", "criterion_id"),
            [
                {
                    "review_id": reviews[(by_plan[p.key].pk, reviewer.pk)].pk,
                    "criterion_id": criterion.pk,
                    "points": points,
                }
                for p in scored
                for criterion, points in zip(criteria[p.programme], p.points, strict=False)
            ],
            models.Q(review__in=[r.pk for r in reviews.values()]),
        )

    _decisions_load(sync, plan, by_plan, measures, periods, scores, unit_cents)
    _payments_and_proofs_load(sync, plan, by_plan)
    return sync.written


def _grants(
    plan: DemoPlan, by_plan: dict, measures: dict, scores: dict, programme: str, budget: int
):
    """The committee's split of a 2018 period (allocation module), by planned application key."""
    decided = [p for p in plan.applications if p.programme == programme and p.status == "decided"]
    data = []
    for planned in decided:
        application = by_plan[planned.key]
        lines = []
        for order, measure in enumerate(planned.measures, start=1):
            row = measures[(application.pk, order)]
            if measure.units:
                lines.append(
                    alloc.Line(
                        id=row.pk, kind=alloc.FLAT_RATE, unit_cents=row.unit_cents, units=row.units
                    )
                )
            else:
                lines.append(
                    alloc.Line(id=row.pk, kind=alloc.COST, amount_cents=row.requested_cents)
                )
        data.append(
            alloc.Application(
                id=application.pk,
                score=float(scores[planned.key]),
                small_organisation=application.small_organisation,
                lines=tuple(lines),
            )
        )
    policy = alloc.SmallFirst(floor_cents=SMALL_FLOOR_CENTS, then=alloc.ByScore())
    proposal = alloc.allocate(data, budget, policy)
    return decided, proposal


def _decisions_load(sync, plan, by_plan, measures, periods, scores, unit_cents) -> None:
    for programme, budget in (
        ("komm-an-nrw", BUDGET_2018_CENTS),
        ("masterplan", MASTERPLAN_BUDGET_CENTS),
    ):
        period = periods[(programme, PERIOD_2018)]
        decided, proposal = _grants(plan, by_plan, measures, scores, programme, budget)
        grants = {g.application_id: g for g in proposal.grants}
        allocation, changed = upsert(
            Allocation,
            {"period": period, "status": Allocation.Status.FINAL},
            {
                "policy": proposal.policy,
                "policy_parameters": {"floor_cents": SMALL_FLOOR_CENTS, "then": "by_score"},
                "total_cents": proposal.total_cents,
                "minutes": (
                    f"{DEMO_NOTE} Sitzung des Entscheidungsgremiums am "
                    f"{period.decision_date:%d.%m.%Y}: Verteilung nach Vorrang kleiner Träger "
                    "(Sockel 500 €), danach nach Bewertung."
                ),
                "finalised_at": _aware(period.decision_date, 16),
            },
        )
        sync.written += changed
        ids = [by_plan[p.key].pk for p in decided]
        sync.rows(
            AllocationEntry,
            ("allocation_id", "application_id"),
            [
                {
                    "allocation_id": allocation.pk,
                    "application_id": by_plan[p.key].pk,
                    "granted_cents": grants[by_plan[p.key].pk].granted_cents,
                    "units": {str(k): v for k, v in grants[by_plan[p.key].pk].units.items()},
                    "amounts": {str(k): v for k, v in grants[by_plan[p.key].pk].amounts.items()},
                    "reason": grants[by_plan[p.key].pk].reason[:300],
                    "reason_code": grants[by_plan[p.key].pk].reason_code,
                    "score": scores[p.key],
                }
                for p in decided
            ],
            models.Q(allocation=allocation),
        )
        # What each measure got, and the decisions.
        measure_updates = []
        decision_rows = []
        for planned in decided:
            application = by_plan[planned.key]
            grant = grants[application.pk]
            for order, _measure in enumerate(planned.measures, start=1):
                row = measures[(application.pk, order)]
                granted_units = grant.units.get(row.pk) if row.units else None
                granted_cents = (
                    granted_units * row.unit_cents if row.units else grant.amounts.get(row.pk, 0)
                )
                measure_updates.append(
                    {
                        "application_id": application.pk,
                        "sort_order": order,
                        "granted_units": granted_units,
                        "granted_cents": granted_cents,
                    }
                )
            if grant.granted_cents == 0:
                outcome = "rejected"
            elif grant.granted_cents >= application.requested_cents:
                outcome = "approved"
            else:
                outcome = "partially_approved"
            decision_rows.append(
                {
                    "application_id": application.pk,
                    "outcome": outcome,
                    "granted_cents": grant.granted_cents,
                    "reason": REASONS_DE.get(grant.reason_code, grant.reason),
                    "allocation_id": allocation.pk,
                    "decided_at": _aware(period.decision_date, 16),
                }
            )
        sync.rows(
            Measure,
            ("application_id", "sort_order"),
            measure_updates,
            models.Q(application_id__in=ids),
        )
        sync.rows(
            Decision,
            ("application_id",),
            decision_rows,
            models.Q(application_id__in=ids),
            fixed=("decided_at",),
        )
        sync.rows(
            Application,
            ("id",),
            [
                {"id": row["application_id"], "status": STATUS_BY_OUTCOME[row["outcome"]]}
                for row in decision_rows
            ],
            models.Q(pk__in=ids),
        )
        approved = sum(row["granted_cents"] for row in decision_rows)
        if period.approved_cents != approved:
            Period.objects.filter(pk=period.pk).update(approved_cents=approved)
            sync.written += 1


def _instalments_for(granted: int) -> list[tuple[date, int]]:
    if granted <= 250_000:
        return [(date(2018, 4, 16), granted)]
    first, second = split_evenly(granted, 2)
    return [(date(2018, 4, 16), first), (date(2018, 9, 17), second)]


def _payments_and_proofs_load(sync, plan, by_plan) -> None:
    decided = [p for p in plan.applications if p.status == "decided"]
    # Read again: the decisions have just set what each measure got.
    measures = {
        (m.application_id, m.sort_order): m
        for m in Measure.objects.filter(application__in=[by_plan[p.key] for p in decided])
    }
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(application__in=[by_plan[p.key] for p in decided])
    }
    granted = [p for p in decided if decisions[by_plan[p.key].pk].granted_cents > 0]
    decision_ids = [decisions[by_plan[p.key].pk].pk for p in granted]

    # Claims first in the plan, since they decide what is withheld (nothing here: all is paid).
    plans = sync.rows(
        PaymentPlan,
        ("decision_id",),
        [
            {
                "decision_id": decisions[by_plan[p.key].pk].pk,
                "granted_cents": decisions[by_plan[p.key].pk].granted_cents,
                "scheduled_cents": decisions[by_plan[p.key].pk].granted_cents,
                "paid_cents": decisions[by_plan[p.key].pk].granted_cents,
                "withheld_cents": 0,
            }
            for p in granted
        ],
        models.Q(decision_id__in=decision_ids),
    )
    instalment_rows = []
    for planned in granted:
        decision = decisions[by_plan[planned.key].pk]
        plan_row = plans[(decision.pk,)]
        for number, (due, amount) in enumerate(_instalments_for(decision.granted_cents), start=1):
            instalment_rows.append(
                {
                    "plan_id": plan_row.pk,
                    "number": number,
                    "due_on": due,
                    "amount_cents": amount,
                    "paid_cents": amount,
                    "ordered_at": _aware(due - timedelta(days=7)),
                }
            )
    plan_ids = [p.pk for p in plans.values()]
    instalments = sync.rows(
        Instalment, ("plan_id", "number"), instalment_rows, models.Q(plan_id__in=plan_ids)
    )
    sync.rows(
        Payment,
        ("instalment_id",),
        [
            {
                "instalment_id": instalments[(row["plan_id"], row["number"])].pk,
                "paid_on": row["due_on"],
                "amount_cents": row["amount_cents"],
                "reference": f"KA-2018-{instalments[(row['plan_id'], row['number'])].pk:05d}",
                "recorded_at": _aware(row["due_on"], 15),
            }
            for row in instalment_rows
        ],
        models.Q(instalment__plan_id__in=plan_ids),
        fixed=("recorded_at",),
    )

    # Proofs of use, their lines and the repayment claims.
    with_proof = [p for p in granted if p.proof != "none"]
    proof_rows = []
    for planned in with_proof:
        application = by_plan[planned.key]
        filed = planned.proof in ("accepted", "submitted")
        proof_rows.append(
            {
                "application_id": application.pk,
                "status": planned.proof,
                "report": f"{DEMO_NOTE} Die Maßnahmen fanden wie geplant statt."
                if not planned.units_short
                else f"{DEMO_NOTE} Ein Angebot konnte mangels Raum nicht stattfinden.",
                "participants": sum(m.participants for m in planned.measures),
                "submitted_at": _aware(date(2019, 2, 15)) if filed else None,
                "checked_at": _aware(date(2019, 3, 20)) if planned.proof == "accepted" else None,
                "is_demo": True,
            }
        )
    proofs = sync.rows(
        ProofOfUse,
        ("application_id",),
        proof_rows,
        models.Q(application_id__in=[by_plan[p.key].pk for p in with_proof]),
    )
    line_rows, claim_rows, check_rows = [], [], []
    for planned in with_proof:
        application = by_plan[planned.key]
        proof = proofs[(application.pk,)]
        filed = planned.proof in ("accepted", "submitted")
        short_left = planned.units_short
        shortfall_total = 0
        for order, measure in enumerate(planned.measures, start=1):
            row = measures[(application.pk, order)]
            granted_cents = row.granted_cents or 0
            if granted_cents == 0:
                continue
            if measure.units:
                missing = min(short_left, row.granted_units or 0)
                short_left -= missing
                delivered = (row.granted_units or 0) - missing
                proven = None
                shortfall = missing * row.unit_cents
            else:
                delivered = None
                proven = granted_cents * planned.cost_proven_percent // 100
                shortfall = granted_cents - proven
            shortfall_total += shortfall if filed else 0
            line_rows.append(
                {
                    "proof_id": proof.pk,
                    "measure_id": row.pk,
                    "units_delivered": delivered,
                    "proven_cents": proven,
                    "participants": measure.participants,
                    "shortfall_cents": shortfall if filed else 0,
                }
            )
        if planned.proof == "accepted":
            check_rows.append(
                {
                    "proof_id": proof.pk,
                    "outcome": "accepted",
                    "checked_at": _aware(date(2019, 3, 20)),
                    "note": "",
                }
            )
        if shortfall_total:
            accepted = planned.proof == "accepted"
            repaid = accepted and planned.repaid
            claim_rows.append(
                {
                    "proof_id": proof.pk,
                    "status": ("settled" if repaid else "open") if accepted else "provisional",
                    "amount_cents": shortfall_total,
                    "withheld_cents": 0,
                    "repaid_cents": shortfall_total if repaid else 0,
                    "due_on": None if repaid or not accepted else date(2019, 4, 19),
                    "settled_at": _aware(date(2019, 4, 10)) if repaid else None,
                }
            )
    proof_ids = [p.pk for p in proofs.values()]
    sync.rows(ProofLine, ("proof_id", "measure_id"), line_rows, models.Q(proof_id__in=proof_ids))
    sync.rows(
        ProofCheck,
        ("proof_id", "outcome"),
        check_rows,
        models.Q(proof_id__in=proof_ids),
        fixed=("checked_at",),
    )
    claims = sync.rows(RepaymentClaim, ("proof_id",), claim_rows, models.Q(proof_id__in=proof_ids))
    sync.rows(
        Repayment,
        ("claim_id",),
        [
            {
                "claim_id": claims[(row["proof_id"],)].pk,
                "received_on": date(2019, 4, 10),
                "amount_cents": row["amount_cents"],
                "reference": "Rückzahlung (Demo)",
                "recorded_at": _aware(date(2019, 4, 10), 15),
            }
            for row in claim_rows
            if row["status"] == "settled"
        ],
        models.Q(claim_id__in=[c.pk for c in claims.values()]),
        fixed=("recorded_at",),
    )
