"""Demo data of the language-mediator pool (issue 4 §11), loaded by `manage.py load_demo`.

- 60 mediators with the spread of languages Dortmund needs (many Arabic, Farsi/Dari, Turkish,
  Romanian, Bulgarian, Russian, Ukrainian; few Tigrinya, Pashto, Somali, Sorani), every one
  marked "(Demo)" in the surname; most have time in the afternoon, few in the morning, as
  volunteers with a job or a course do. The demo login `mittler` speaks Tigrinya.
- 30 institutions at real public places of the city (data/dortmund/einrichtungen.geojson):
  primary and secondary schools, Kitas, senior counselling offices and youth centres, each
  named "… (Demo)", with one demo requester; the demo login `fachkraft` acts for a school.
- About 320 requests over the past 16 weeks and the coming 3, in every state. They are matched
  as the pool would: a mediator who speaks the language, has a window then, accepts the setting,
  area and district and is free (travel buffer included) — or nobody, and the request is
  unfilled. Done ones carry a report, so the monthly statements (made here for the past months,
  the older ones approved) and the statistics have content. Every request's note says it is a
  demo record and carries its number.

Idempotent: the plan is a pure function of a fixed seed and today's date; rows are found by
username, institution name or the request number in the note, and only what is missing or
different is written (a second run writes 0 rows). Requests once created never move, so a later
run on another day adds nothing either.
"""

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.models import District, Language, User
from teilhabe.mediation import expense_services, expenses, matching, rules
from teilhabe.mediation.expense_models import ExpenseStatement
from teilhabe.mediation.models import (
    Area,
    Assignment,
    AvailabilityWindow,
    Cancellation,
    Institution,
    InstitutionPlace,
    MediationRequest,
    MediatorLanguage,
    MediatorProfile,
    RequesterProfile,
    Setting,
)

FACILITIES = Path(settings.BASE_DIR) / "data" / "dortmund" / "einrichtungen.geojson"
SEED = 20160401  # the state's money for the pool came in 2016
DEMO_SUFFIX = " (Demo)"
DEMO_NOTE = "Demo-Datensatz – kein echter Termin."
NOTE_KEY = re.compile(r"\(Nr\. (\d+)\)$")
WEEKS_BACK = 16
WEEKS_AHEAD = 3
REQUESTS_PER_WEEK = 16
TRAINED_ON = date(2024, 2, 17)
SIGNED_ON = date(2024, 2, 17)

# --- Who: mediators --------------------------------------------------------------------------

# (first name, gender) and surnames per language group; plausible, not real people.
NAMES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "ar": (
        (
            ("Ahmad", "male"),
            ("Rana", "female"),
            ("Yousef", "male"),
            ("Lina", "female"),
            ("Omar", "male"),
            ("Huda", "female"),
            ("Karim", "male"),
            ("Nour", "female"),
            ("Samir", "male"),
            ("Aya", "female"),
            ("Bilal", "male"),
            ("Mariam", "female"),
        ),
        ("Haddad", "Khalil", "Nasser", "Saleh", "Darwish", "Mansour", "Hamdan", "Aziz"),
    ),
    "fa": (
        (
            ("Reza", "male"),
            ("Parisa", "female"),
            ("Mehdi", "male"),
            ("Zahra", "female"),
            ("Farid", "male"),
            ("Maryam", "female"),
        ),
        ("Ahmadi", "Karimi", "Rahimi", "Hosseini", "Sadeghi", "Jafari"),
    ),
    "prs": (
        (("Wahid", "male"), ("Shabnam", "female"), ("Nasir", "male"), ("Freshta", "female")),
        ("Sultani", "Noori", "Hakimi", "Azizi"),
    ),
    "tr": (
        (
            ("Ayşe", "female"),
            ("Mehmet", "male"),
            ("Elif", "female"),
            ("Emre", "male"),
            ("Zeynep", "female"),
            ("Murat", "male"),
            ("Hatice", "female"),
            ("Burak", "male"),
        ),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Koç"),
    ),
    "ro": (
        (
            ("Andreea", "female"),
            ("Ionuț", "male"),
            ("Maria", "female"),
            ("Florin", "male"),
            ("Elena", "female"),
        ),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu"),
    ),
    "bg": (
        (("Ivan", "male"), ("Desislava", "female"), ("Georgi", "male"), ("Milena", "female")),
        ("Petrov", "Ivanova", "Georgiev", "Dimitrova"),
    ),
    "ru": (
        (
            ("Olga", "female"),
            ("Sergej", "male"),
            ("Natalia", "female"),
            ("Dmitri", "male"),
            ("Swetlana", "female"),
        ),
        ("Iwanowa", "Smirnow", "Kusnezowa", "Popow", "Wolkowa"),
    ),
    "uk": (
        (
            ("Oksana", "female"),
            ("Taras", "male"),
            ("Iryna", "female"),
            ("Andrij", "male"),
            ("Kateryna", "female"),
        ),
        ("Kowalenko", "Schewtschenko", "Bondarenko", "Melnyk", "Tkatschenko"),
    ),
    "kmr": ((("Rojda", "female"), ("Dilan", "female"), ("Baran", "male")), ("Aydın", "Doğan")),
    "ti": ((("Selam", "female"),), ("Haile",)),
    "ps": ((("Zalmai", "male"),), ("Noorzai",)),
    "so": ((("Hodan", "female"),), ("Warsame",)),
    "ckb": ((("Shilan", "female"),), ("Karim",)),
    "am": ((("Meron", "female"),), ("Bekele",)),
    "fr": ((("Aminata", "female"),), ("Diallo",)),
    "sq": ((("Arben", "male"),), ("Krasniqi",)),
}

# How many mediators have each language as their first (sum 59; `mittler` is the 60th).
SPREAD: tuple[tuple[str, int], ...] = (
    ("ar", 12),
    ("fa", 6),
    ("prs", 4),
    ("tr", 8),
    ("ro", 5),
    ("bg", 4),
    ("ru", 5),
    ("uk", 5),
    ("kmr", 3),
    ("ti", 1),
    ("ps", 1),
    ("so", 1),
    ("ckb", 1),
    ("am", 1),
    ("fr", 1),
    ("sq", 1),
)
# A second language some of them speak as well.
SECOND: dict[str, tuple[str, ...]] = {
    "ar": ("kmr", "fr", "en"),
    "fa": ("prs",),
    "prs": ("fa", "ps"),
    "tr": ("kmr",),
    "ro": ("rom",),
    "bg": ("tr", "rom"),
    "ru": ("uk",),
    "uk": ("ru",),
    "kmr": ("tr", "ar"),
    "ti": ("am",),
    "so": ("ar",),
    "am": ("ti",),
}
ARABIC_DIALECTS = ("Levantine", "Iraqi", "Egyptian", "")

# Weekly windows (weekday 0 = Monday, from, until): most have afternoons.
PATTERNS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "afternoons": tuple((day, 14, 18) for day in range(5)),
    "some_afternoons": ((0, 13, 18), (2, 13, 18), (3, 14, 19)),
    "mornings": tuple((day, 8, 13) for day in range(5)),
    "days": tuple((day, 8, 17) for day in (1, 2, 4)),
    "evenings_weekend": ((1, 17, 20), (3, 17, 20), (5, 10, 16)),
}
PATTERN_SHARE = (
    ("afternoons", 35),
    ("some_afternoons", 25),
    ("mornings", 15),
    ("days", 15),
    ("evenings_weekend", 10),
)


@dataclass(frozen=True)
class MediatorPlan:
    username: str
    first_name: str
    last_name: str
    gender: str
    languages: tuple[tuple[str, str, str], ...]  # (code, dialect, level)
    windows: tuple[tuple[int, int, int], ...]
    areas: tuple[str, ...]
    settings: tuple[str, ...]
    whole_city: bool
    districts: tuple[int, ...]  # district numbers
    home_district: int
    max_per_week: int
    status: str
    german_level: str


def _pattern(rng: random.Random, first: str, index: int, count: int) -> str:
    if first in {"ti", "ps", "so", "ckb"}:
        return "evenings_weekend" if rng.random() < 0.5 else "some_afternoons"
    # Each larger group has someone with time in the morning (a pensioner, a student).
    if count >= 4 and index < 2:
        return ("days", "mornings")[index]
    names, weights = zip(*PATTERN_SHARE, strict=True)
    return rng.choices(names, weights)[0]


def mediator_plans() -> list[MediatorPlan]:
    """The 59 demo mediators (mittler is added by `_mittler_plan`), always the same."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    district_numbers = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30)
    plans = []
    number = 0
    for code, count in SPREAD:
        firsts, lasts = NAMES[code]
        for index in range(count):
            number += 1
            first, gender = firsts[index % len(firsts)]
            last = lasts[(index * 3 + number) % len(lasts)]
            languages = [(code, rng.choice(ARABIC_DIALECTS) if code == "ar" else "", "native")]
            if code in SECOND and rng.random() < 0.45:
                languages.append((rng.choice(SECOND[code]), "", "fluent"))
            areas = ["education", "social"]
            areas += [area for area in ("health", "authorities", "other") if rng.random() < 0.6]
            home = rng.choice(district_numbers)
            whole_city = rng.random() < 0.6
            status = MediatorProfile.Status.ACTIVE
            if number in (7, 23, 41):
                status = MediatorProfile.Status.APPLICANT
            elif number in (15, 33):
                status = MediatorProfile.Status.PAUSED
            plans.append(
                MediatorPlan(
                    username=f"demo-mittler-{number:02d}",
                    first_name=first,
                    last_name=last + DEMO_SUFFIX,
                    gender=gender,
                    languages=tuple(languages),
                    windows=PATTERNS[_pattern(rng, code, index, count)],
                    areas=tuple(areas),
                    settings=("in_person", "phone", "video")
                    if rng.random() < 0.7
                    else ("in_person", "phone"),
                    whole_city=whole_city,
                    districts=()
                    if whole_city
                    else tuple(sorted({home, *rng.sample(district_numbers, 4)})),
                    home_district=home,
                    max_per_week=rng.choice((2, 3, 3, 4)),
                    status=status,
                    german_level=rng.choice(("B1", "B2", "B2", "C1", "C1", "C2")),
                )
            )
    return plans


def _mittler_plan() -> MediatorPlan:
    """The demo login: Yonas, Tigrinya (and Amharic), Tuesday and Thursday afternoons,
    Saturday mornings."""
    return MediatorPlan(
        username="mittler",
        first_name="",
        last_name="",
        gender="male",
        languages=(("ti", "", "native"), ("am", "", "fluent")),
        windows=((1, 13, 19), (3, 13, 19), (5, 9, 14)),
        areas=("education", "social", "health", "authorities", "other"),
        settings=("in_person", "phone", "video"),
        whole_city=True,
        districts=(),
        home_district=20,
        max_per_week=3,
        status=MediatorProfile.Status.ACTIVE,
        german_level="C1",
    )


# --- Where: institutions at real places ------------------------------------------------------

# objektart → (kind of institution, how many, weight of its requests)
FACILITY_KINDS = {
    "Grundschule": (Institution.Kind.SCHOOL, 9),
    "Hauptschule": (Institution.Kind.SCHOOL, 2),
    "Realschule": (Institution.Kind.SCHOOL, 1),
    "Gesamtschule": (Institution.Kind.SCHOOL, 2),
    "Kindergarten": (Institution.Kind.KITA, 10),
    "Beratungsstelle": (Institution.Kind.COUNSELLING, 3),
    "Jugendzentrum": (Institution.Kind.SOCIAL, 3),
}
# Districts where most newcomers live come first when places are picked.
NEWCOMER_DISTRICTS = (20, 10, 1, 30, 2, 8, 9, 5)
REQUESTER_NAMES = (
    ("Petra", "Wagner"),
    ("Thomas", "Schmitz"),
    ("Sandra", "Hoffmann"),
    ("Jan", "Becker"),
    ("Katrin", "Schulte"),
    ("Michael", "Krause"),
    ("Anna", "Lange"),
    ("Stefan", "Koch"),
    ("Julia", "Richter"),
    ("Markus", "Wolf"),
    ("Claudia", "Neumann"),
    ("Dirk", "Schwarz"),
    ("Sabine", "Zimmermann"),
    ("Frank", "Braun"),
    ("Nicole", "Hartmann"),
    ("Tobias", "Krüger"),
    ("Melanie", "Fuchs"),
    ("Christian", "Vogel"),
    ("Kerstin", "Peters"),
    ("Sven", "Jansen"),
    ("Birgit", "Frank"),
    ("Oliver", "Kaiser"),
    ("Anja", "Bergmann"),
    ("Ralf", "Horn"),
    ("Heike", "Sommer"),
    ("Daniel", "Brandt"),
    ("Silke", "Haas"),
    ("Jörg", "Winter"),
    ("Tanja", "Graf"),
    ("Uwe", "Roth"),
)


@dataclass(frozen=True)
class InstitutionPlan:
    name: str
    kind: str
    place_name: str
    street: str
    latitude: float
    longitude: float
    district: int
    requester: tuple[str, str, str]  # username, first, last


@cache
def _facilities() -> tuple[dict, ...]:
    features = json.loads(FACILITIES.read_text(encoding="utf-8"))["features"]
    return tuple(
        {
            "kind": f["properties"]["objektart"],
            "name": f["properties"]["objektname"].strip(),
            "street": " ".join(
                part for part in (f["properties"]["strasse"], f["properties"]["hausnummer"]) if part
            ),
            "district": f["properties"]["stadtbeznr"],
            "longitude": round(f["geometry"]["coordinates"][0], 6),
            "latitude": round(f["geometry"]["coordinates"][1], 6),
        }
        for f in features
        if f["properties"]["objektart"] in FACILITY_KINDS and f["properties"]["objektname"]
    )


def institution_plans() -> list[InstitutionPlan]:
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    plans: list[InstitutionPlan] = []
    names: set[str] = set()
    for kind_name, (kind, count) in FACILITY_KINDS.items():
        candidates = sorted(
            (f for f in _facilities() if f["kind"] == kind_name),
            key=lambda f: (f["district"], f["name"], f["street"]),
        )
        rng.shuffle(candidates)
        # Places in the districts with most newcomers first, then the rest of the city.
        candidates.sort(
            key=lambda f: (
                NEWCOMER_DISTRICTS.index(f["district"])
                if f["district"] in NEWCOMER_DISTRICTS
                else len(NEWCOMER_DISTRICTS)
            )
        )
        for facility in candidates:
            if sum(1 for p in plans if p.kind == kind and kind_name in p.place_name) >= count:
                break
            name = facility["name"]
            if name in names or kind == Institution.Kind.KITA:
                name = f"{name}, {facility['street']}"
            if name in names:
                continue
            names.add(name)
            number = len(plans) + 1
            first, last = REQUESTER_NAMES[(number - 1) % len(REQUESTER_NAMES)]
            plans.append(
                InstitutionPlan(
                    name=name + DEMO_SUFFIX,
                    kind=kind,
                    place_name=f"{facility['name']} ({kind_name})",
                    street=facility["street"],
                    latitude=facility["latitude"],
                    longitude=facility["longitude"],
                    district=facility["district"],
                    requester=(f"demo-fachkraft-{number:02d}", first, last + DEMO_SUFFIX),
                )
            )
    return plans


# --- What: requests --------------------------------------------------------------------------

# Demand by language (weights); rare languages are asked for more than the pool can give.
DEMAND = (
    ("ar", 20),
    ("tr", 9),
    ("fa", 8),
    ("prs", 5),
    ("ro", 10),
    ("bg", 8),
    ("ru", 5),
    ("uk", 9),
    ("kmr", 5),
    ("ti", 6),
    ("ps", 3),
    ("so", 3),
    ("ckb", 3),
    ("am", 1),
    ("sq", 2),
    ("fr", 2),
    ("rom", 1),
)
TOPICS = {
    "education": (
        "Elterngespräch",
        "Elternsprechtag",
        "Anmeldung zur Schule",
        "Gespräch über die Sprachförderung",
        "Entwicklungsgespräch in der Kita",
        "Eingewöhnung in der Kita",
        "Übergang in die weiterführende Schule",
        "Informationsabend Offener Ganztag",
        "Gespräch zur Klassenfahrt",
    ),
    "health": (
        "Schuleingangsuntersuchung",
        "Impfberatung",
        "Gespräch mit der Logopädie",
        "Zahngesundheit in der Kita",
    ),
    "social": (
        "Beratung Bildung und Teilhabe",
        "Familienberatung",
        "Erziehungsberatung",
        "Freizeitangebote für Jugendliche",
    ),
    "authorities": (
        "Brief vom Jobcenter erklären",
        "Antrag auf Kindergeld erklären",
        "Termin bei der Ausländerbehörde vorbereiten",
    ),
    "other": ("Informationsveranstaltung", "Anmeldung im Sportverein erklären"),
}
AREAS_BY_KIND = {
    Institution.Kind.SCHOOL: (("education", 80), ("health", 8), ("social", 12)),
    Institution.Kind.KITA: (("education", 75), ("health", 15), ("social", 10)),
    Institution.Kind.COUNSELLING: (("social", 50), ("authorities", 30), ("health", 20)),
    Institution.Kind.SOCIAL: (("social", 50), ("authorities", 25), ("other", 25)),
}
KIND_WEIGHT = {
    Institution.Kind.SCHOOL: 5,
    Institution.Kind.KITA: 3,
    Institution.Kind.COUNSELLING: 2,
    Institution.Kind.SOCIAL: 2,
}
# Schools and Kitas ask for mornings most; volunteers have afternoons: the gap list shows it.
START_HOURS = ((8, 12), (9, 14), (10, 14), (11, 10), (12, 6), (13, 8), (14, 14), (15, 12), (16, 10))


@dataclass(frozen=True)
class RequestPlan:
    key: int
    institution: int  # index into institution_plans()
    language: str
    dialect: str
    starts_at: datetime
    minutes: int
    setting: str
    area: str
    topic: str
    gender_preference: str
    story: str = ""  # "mittler_done", "mittler_confirmed", "mittler_offered" or ""


def _week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def request_plans(today: date, institutions: list[InstitutionPlan]) -> list[RequestPlan]:
    """About 16 requests a week from 16 weeks ago to 3 weeks ahead, plus the mittler stories."""
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data, not security
    languages, language_weights = zip(*DEMAND, strict=True)
    kinds = [plan.kind for plan in institutions]
    weights = [KIND_WEIGHT[kind] for kind in kinds]
    plans: list[RequestPlan] = []
    first_monday = _week_start(today) - timedelta(weeks=WEEKS_BACK)
    for week in range(WEEKS_BACK + WEEKS_AHEAD + 1):
        monday = first_monday + timedelta(weeks=week)
        for _n in range(REQUESTS_PER_WEEK):
            institution = rng.choices(range(len(institutions)), weights)[0]
            kind = kinds[institution]
            day = monday + timedelta(days=rng.choices(range(6), (22, 22, 22, 20, 12, 2))[0])
            hour = rng.choices(*zip(*START_HOURS, strict=True))[0]
            language = rng.choices(languages, language_weights)[0]
            area = rng.choices(*zip(*AREAS_BY_KIND[kind], strict=True))[0]
            setting = rng.choices((Setting.IN_PERSON, Setting.PHONE, Setting.VIDEO), (78, 14, 8))[0]
            plans.append(
                RequestPlan(
                    key=len(plans) + 1,
                    institution=institution,
                    language=language,
                    dialect=rng.choice(("Levantine", "Iraqi"))
                    if language == "ar" and rng.random() < 0.15
                    else "",
                    starts_at=_aware(day, hour, rng.choice((0, 0, 30))),
                    minutes=rng.choice((30, 45, 60, 60, 60, 90, 120)),
                    setting=setting,
                    area=area,
                    topic=rng.choice(TOPICS[area]),
                    gender_preference="female" if rng.random() < 0.06 else "",
                )
            )
    # The stories of the demo logins: mittler did one last month at fachkraft's school, has one
    # confirmed next week and an open offer in the week after.
    last_month = expenses.previous_month(today)
    tuesday = last_month + timedelta(days=(1 - last_month.weekday()) % 7 + 7)
    next_tuesday = _week_start(today) + timedelta(weeks=1, days=1)
    for story, when, minutes in (
        ("mittler_done", _aware(tuesday, 15), 90),
        ("mittler_confirmed", _aware(next_tuesday, 15, 30), 60),
        ("mittler_offered", _aware(next_tuesday + timedelta(days=9), 14), 60),
    ):
        plans.append(
            RequestPlan(
                key=len(plans) + 1,
                institution=0,
                language="ti",
                dialect="",
                starts_at=when,
                minutes=minutes,
                setting=Setting.IN_PERSON,
                area=Area.EDUCATION,
                topic="Elterngespräch",
                gender_preference="",
                story=story,
            )
        )
    return plans


# --- Matching the plan as the pool would -----------------------------------------------------


@dataclass
class Candidate:
    pk: int
    languages: dict[str, str]  # code -> dialect
    windows: tuple[tuple[int, int, int], ...]
    areas: frozenset[str]
    settings: frozenset[str]
    districts: frozenset[int] | None  # district pks; None = whole city
    max_per_week: int
    assignable: bool
    blocked: list[tuple[datetime, datetime]] = field(default_factory=list)
    per_week: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    count: int = 0

    def can_take(self, plan: RequestPlan, district: int | None, blocked) -> bool:
        if not self.assignable or plan.language not in self.languages:
            return False
        if plan.dialect and self.languages[plan.language] not in ("", plan.dialect):
            return False
        if plan.setting not in self.settings or plan.area not in self.areas:
            return False
        if (
            plan.setting == Setting.IN_PERSON
            and self.districts is not None
            and district not in self.districts
        ):
            return False
        local = timezone.localtime(plan.starts_at)
        end = timezone.localtime(plan.starts_at + timedelta(minutes=plan.minutes))
        if not any(
            weekday == local.weekday() and since <= local.hour and end.time() <= time(until)
            for weekday, since, until in self.windows
        ):
            return False
        if any(start < blocked.end and blocked.start < end_ for start, end_ in self.blocked):
            return False
        return self.per_week[local.isocalendar()[:2]] < self.max_per_week

    def book(self, plan: RequestPlan, blocked) -> None:
        self.blocked.append((blocked.start, blocked.end))
        self.per_week[timezone.localtime(plan.starts_at).isocalendar()[:2]] += 1
        self.count += 1


# --- Writing ---------------------------------------------------------------------------------


def _user(username: str, first: str, last: str) -> tuple[User, int]:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.example.org", is_active=True)
        user.first_name, user.last_name = first, last
        user.set_unusable_password()
        user.save()
        return user, 1
    return user, _set_fields(user, {"first_name": first, "last_name": last})


def _grant(role: roles.Role, users: list[User]) -> int:
    """The role for every user who lacks it, in one go."""
    group = Group.objects.get(name=role.group_name)
    holders = set(group.user_set.filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    missing = [user for user in users if user.pk not in holders]
    if missing:
        group.user_set.add(*missing)
    return len(missing)


def _set_fields(obj, values: dict) -> int:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return int(bool(changed))


def _mediator_load(
    plan: MediatorPlan,
    user: User,
    districts: dict[int, District],
    languages: dict[str, Language],
) -> int:
    values = {
        "status": plan.status,
        "german_level": plan.german_level,
        "areas": list(plan.areas),
        "settings_accepted": list(plan.settings),
        "whole_city": plan.whole_city,
        # Foreign keys by id: reading a district would load its whole boundary (GeoJSON).
        "home_district_id": districts[plan.home_district].pk
        if plan.home_district in districts
        else None,
        "gender": plan.gender,
        "max_per_week": plan.max_per_week,
        "training_date": None if plan.status == MediatorProfile.Status.APPLICANT else TRAINED_ON,
        "confidentiality_date": None
        if plan.status == MediatorProfile.Status.APPLICANT
        else SIGNED_ON,
        "phone": "",
        "contact_channel": MediatorProfile.ContactChannel.EMAIL,
        "staff_notes": "Demo-Datensatz: Beispielperson, keine echte Sprachmittlerin/kein "
        "echter Sprachmittler.",
    }
    profile = MediatorProfile.objects.filter(user=user).first()
    written = 0
    if profile is None:
        profile = MediatorProfile.objects.create(user=user, **values)
        written += 1
    else:
        written += _set_fields(profile, values)
    wanted_districts = {districts[n].pk for n in plan.districts if n in districts}
    if set(profile.districts.values_list("pk", flat=True)) != wanted_districts:
        profile.districts.set(wanted_districts)
        written += 1
    wanted = {(languages[c].pk, d): level for c, d, level in plan.languages if c in languages}
    have = {(row.language_id, row.dialect): row for row in profile.languages.all()}
    for key, row in have.items():
        if key not in wanted:
            row.delete()
            written += 1
    for (language_id, dialect), level in wanted.items():
        row = have.get((language_id, dialect))
        if row is None:
            MediatorLanguage.objects.create(
                mediator=profile, language_id=language_id, dialect=dialect, level=level
            )
            written += 1
        else:
            written += _set_fields(row, {"level": level})
    wanted_windows = {(day, time(since), time(until)) for day, since, until in plan.windows}
    have_windows = {(w.weekday, w.start_time, w.end_time) for w in profile.windows.all()}
    if wanted_windows != have_windows:
        profile.windows.all().delete()
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(mediator=profile, weekday=d, start_time=s, end_time=e)
            for d, s, e in sorted(wanted_windows)
        )
        written += len(wanted_windows)
    return written


def _languages() -> dict[str, Language]:
    return {language.code: language for language in Language.objects.all()}


def _institution_load(
    plan: InstitutionPlan, districts: dict[int, District]
) -> tuple[Institution, InstitutionPlace, int]:
    district = districts.get(plan.district)
    district_id = district.pk if district else None
    institution, created = Institution.objects.get_or_create(
        name=plan.name,
        defaults={
            "kind": plan.kind,
            "district_id": district_id,
            "email": "kontakt@demo.example.org",
        },
    )
    written = int(created)
    if not created:
        written += _set_fields(institution, {"kind": plan.kind, "district_id": district_id})
    values = {
        "street": plan.street,
        "postcode": "",
        "city": "Dortmund",
        "latitude": plan.latitude,
        "longitude": plan.longitude,
        "district_id": district_id,
    }
    place = InstitutionPlace.objects.filter(institution=institution, name=plan.place_name).first()
    if place is None:
        place = InstitutionPlace.objects.create(
            institution=institution, name=plan.place_name, **values
        )
        written += 1
    else:
        written += _set_fields(place, values)
    return institution, place, written


def _requester_load(user: User, institution: Institution) -> int:
    profile = RequesterProfile.objects.filter(user=user).first()
    if profile is None:
        RequesterProfile.objects.create(user=user, institution=institution)
        return 1
    return _set_fields(profile, {"institution_id": institution.pk})


def _existing_keys() -> set[int]:
    keys = set()
    for note in MediationRequest.objects.filter(notes__startswith=DEMO_NOTE).values_list(
        "notes", flat=True
    ):
        found = NOTE_KEY.search(note)
        if found:
            keys.add(int(found.group(1)))
    return keys


def _candidates(profiles: list[MediatorProfile]) -> dict[int, Candidate]:
    candidates = {}
    for profile in profiles:
        candidates[profile.pk] = Candidate(
            pk=profile.pk,
            languages={row.language.code: row.dialect for row in profile.languages.all()},
            windows=tuple(
                (w.weekday, w.start_time.hour, w.end_time.hour) for w in profile.windows.all()
            ),
            areas=frozenset(profile.areas),
            settings=frozenset(profile.settings_accepted),
            districts=None
            if profile.whole_city
            else frozenset(d.pk for d in profile.districts.all()),
            max_per_week=profile.max_per_week,
            assignable=profile.may_be_assigned,
        )
    # Bookings that exist already (from an earlier run) count too.
    for assignment in Assignment.objects.filter(
        mediator_id__in=candidates,
        status__in=[*Assignment.BOOKED_STATUSES, Assignment.Status.OFFERED],
    ).select_related("request"):
        candidate = candidates[assignment.mediator_id]
        candidate.blocked.append((assignment.blocked_start, assignment.blocked_end))
        week = timezone.localtime(assignment.request.starts_at).isocalendar()[:2]
        candidate.per_week[week] += 1
    return candidates


def _late_cancellation(plan: RequestPlan, km: Decimal, cancelled_at: datetime):
    return rules.late_cancellation(
        cancelled_at=cancelled_at,
        starts_at=plan.starts_at,
        planned_minutes=plan.minutes,
        by_institution=True,
        booked=True,
        round_trip_km=km * 2,
        late_hours=settings.MEDIATION_LATE_CANCEL_HOURS,
        max_minutes=settings.MEDIATION_LATE_CANCEL_MAX_MINUTES,
        rate_cents_per_hour=settings.MEDIATION_RATE_CENTS_PER_HOUR,
        rate_cents_per_km=settings.MEDIATION_RATE_CENTS_PER_KM,
    )


def _requests_load(
    plans: list[RequestPlan],
    institutions: list[tuple[Institution, InstitutionPlace, User]],
    candidates: dict[int, Candidate],
    mittler_pk: int | None,
    now: datetime,
) -> int:
    """Create the planned requests that do not exist yet, matched in time order."""
    rng = random.Random(SEED + 3)  # noqa: S311 - demo data, not security
    existing = _existing_keys()
    languages = _languages()
    buffer = timedelta(minutes=settings.MEDIATION_TRAVEL_BUFFER_MINUTES)
    written = 0
    for plan in sorted(plans, key=lambda p: (p.starts_at, p.key)):
        # The same random draws for every plan, whether it is written now or not.
        draws = [rng.random() for _ in range(6)]
        if plan.key in existing or plan.language not in languages:
            continue
        institution, place, requester = institutions[plan.institution]
        ends_at = plan.starts_at + timedelta(minutes=plan.minutes)
        in_person = plan.setting == Setting.IN_PERSON
        blocked = matching.blocked_interval(plan.starts_at, ends_at, plan.setting, buffer)
        district = place.district_id if in_person else None
        if plan.story and mittler_pk in candidates:
            able = (
                [candidates[mittler_pk]]
                if candidates[mittler_pk].can_take(plan, district, blocked)
                else []
            )
        else:
            able = sorted(
                (c for c in candidates.values() if c.can_take(plan, district, blocked)),
                key=lambda c: (c.count, (c.pk * 7919 + plan.key) % 101),
            )
        past = ends_at <= now
        status, outcome = _outcome(plan, bool(able), past, now, draws)
        created_at = min(plan.starts_at - timedelta(days=7 + int(draws[5] * 10)), now)
        request = MediationRequest.objects.create(
            institution=institution,
            requested_by=requester,
            language=languages[plan.language],
            dialect=plan.dialect,
            starts_at=plan.starts_at,
            duration_minutes=plan.minutes,
            ends_at=ends_at,
            setting=plan.setting,
            place=place if in_person else None,
            area=plan.area,
            topic=plan.topic,
            gender_preference=plan.gender_preference,
            notes=f"{DEMO_NOTE} (Nr. {plan.key})",
            terms_accepted_at=created_at,
            status=status,
        )
        written += 1
        extra: dict = {"created_at": created_at}
        if status == MediationRequest.Status.UNFILLED:
            told = min(plan.starts_at - timedelta(hours=48), now)
            extra.update(unfilled_at=told, unfilled_notified_at=told)
        if outcome in ("done", "confirmed", "offered", "late_cancelled"):
            mediator = able[0]
            mediator.book(plan, blocked)
            km = Decimal(str(round(2 + draws[2] * 10, 1))) if in_person else Decimal(0)
            offered_at = min(created_at + timedelta(hours=2), now)
            answered = offered_at + timedelta(hours=5)
            assignment_status = {
                "done": Assignment.Status.DONE,
                "confirmed": Assignment.Status.CONFIRMED,
                "offered": Assignment.Status.OFFERED,
                "late_cancelled": Assignment.Status.CANCELLED,
            }[outcome]
            report = outcome == "done"
            ticket = report and in_person and draws[3] < 0.3
            assignment = Assignment.objects.create(
                request=request,
                mediator_id=mediator.pk,
                status=assignment_status,
                blocked_start=blocked.start,
                blocked_end=blocked.end,
                offered_at=offered_at,
                answer_deadline=offered_at + timedelta(hours=24)
                if outcome != "offered"
                else now + timedelta(hours=settings.MEDIATION_OFFER_ANSWER_HOURS),
                answered_at=None if outcome == "offered" else answered,
                confirmed_at=None if outcome == "offered" else answered,
                estimated_km=km / 2 if in_person else Decimal(0),
                reported_at=ends_at + timedelta(hours=3) if report else None,
                actual_minutes=max(15, plan.minutes + rng_minutes(draws[4])) if report else None,
                travel_km=km if report and in_person and not ticket else None,
                ticket_cents=660 if ticket else None,
                reminder_sent_at=plan.starts_at - timedelta(days=1) if past else None,
            )
            written += 1
            if outcome != "offered":
                extra["confirmed_at"] = answered
            if report:
                extra["done_at"] = ends_at + timedelta(hours=3)
                if draws[1] < 0.85:
                    extra["institution_confirmed_at"] = ends_at + timedelta(days=1)
                    extra["institution_confirmed_by_id"] = requester.pk
            if outcome == "late_cancelled":
                cancelled_at = plan.starts_at - timedelta(hours=3 + int(draws[4] * 15))
                paid = _late_cancellation(plan, assignment.estimated_km, cancelled_at)
                Cancellation.objects.create(
                    request=request,
                    assignment=assignment,
                    by=Cancellation.By.REQUESTER,
                    by_user=requester,
                    at=cancelled_at,
                    reason="Die Familie ist erkrankt (Demo).",
                    hours_before_start=paid.hours_before_start,
                    late=paid.late,
                    payable_minutes=paid.payable_minutes,
                    payable_km=paid.payable_km,
                    payable_cents=paid.payable_cents,
                )
                extra["cancelled_at"] = cancelled_at
                written += 1
        elif outcome == "cancelled":
            cancelled_at = plan.starts_at - timedelta(days=2 + int(draws[4] * 4))
            Cancellation.objects.create(
                request=request,
                by=Cancellation.By.REQUESTER,
                by_user=requester,
                at=min(cancelled_at, now),
                reason="Der Termin wurde verschoben (Demo).",
                hours_before_start=Decimal(
                    (plan.starts_at - min(cancelled_at, now)).total_seconds() / 3600
                ).quantize(Decimal("0.01")),
            )
            extra["cancelled_at"] = min(cancelled_at, now)
            written += 1
        # Timestamps as they would have been (created_at is set on insert otherwise).
        MediationRequest.objects.filter(pk=request.pk).update(**extra)
    return written


def rng_minutes(draw: float) -> int:
    """How much longer (or shorter) the conversation took than planned."""
    return (-15, 0, 0, 0, 15, 30)[int(draw * 6)]


def _outcome(plan: RequestPlan, able: bool, past: bool, now: datetime, draws) -> tuple[str, str]:
    """(request status, what happened) for a planned request."""
    story = {
        "mittler_done": ("done", "done"),
        "mittler_confirmed": ("confirmed", "confirmed"),
        "mittler_offered": ("offered", "offered"),
    }
    if plan.story and able:
        return story[plan.story]
    draw = draws[0]
    soon = plan.starts_at - now <= timedelta(days=7)
    if past:
        if not able:
            return ("cancelled", "cancelled") if draw < 0.05 else ("unfilled", "unfilled")
        if draw < 0.05:
            return "cancelled", "cancelled"
        if draw < 0.11:
            return "cancelled", "late_cancelled"
        return "done", "done"
    if not able:
        return ("unfilled", "unfilled") if soon else ("requested", "none")
    if draw < 0.05:
        return "cancelled", "cancelled"
    if draw < 0.60 or (soon and draw < 0.85):
        return "confirmed", "confirmed"
    if draw < 0.85:
        return "offered", "offered"
    return "requested", "none"


def _statements_load(today: date, now: datetime) -> int:
    """The statements of the past months; all but the last approved (as staff would have)."""
    written = 0
    last = expenses.previous_month(today)
    month = expenses.month_start(_week_start(today) - timedelta(weeks=WEEKS_BACK))
    while month <= last:
        result = expense_services.statements_create(month=month, now=now)
        written += result.statements + result.lines
        month = expenses.next_month(month)
    approver = User.objects.filter(username="staff").first()
    drafts = ExpenseStatement.objects.filter(
        status=ExpenseStatement.Status.DRAFT,
        month__lt=last,
        mediator__user__username__startswith="demo-mittler-",
    )
    for statement in drafts:
        statement.status = ExpenseStatement.Status.APPROVED
        statement.approved_at = timezone.make_aware(
            datetime.combine(expenses.next_month(statement.month) + timedelta(days=4), time(9))
        )
        statement.approved_by = approver
        statement.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        written += 1
    return written


def demo_load(now: datetime | None = None) -> int:
    """Load the pool's demo. Returns how many rows were written (0 on a second run)."""
    if not settings.DEMO_MODE:
        # The pool's demo is people (mediators, requesters with accounts): only on a demo
        # installation, like the demo logins.
        return 0
    # The audit log records what people do to personal data; invented demo people loaded by a
    # command are neither (and logging them would read every district's boundary).
    with disable_auditlog(), transaction.atomic():
        return _demo_load(now)


def _demo_load(now: datetime | None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    districts = {district.number: district for district in District.objects.all()}
    languages = _languages()
    written = 0
    profiles, users = [], []
    for plan in mediator_plans():
        user, changed = _user(plan.username, plan.first_name, plan.last_name)
        written += changed + _mediator_load(plan, user, districts, languages)
        profiles.append(user.mediator_profile)
        users.append(user)
    written += _grant(roles.MEDIATOR, users)
    mittler = User.objects.filter(username="mittler").first()
    if mittler is not None:
        written += _mediator_load(_mittler_plan(), mittler, districts, languages)
        profiles.append(MediatorProfile.objects.get(user=mittler))
    institutions, users = [], []
    for index, plan in enumerate(institution_plans()):
        institution, place, changed = _institution_load(plan, districts)
        username, first, last = plan.requester
        user, user_changed = _user(username, first, last)
        users.append(user)
        written += changed + user_changed + _requester_load(user, institution)
        requester = user
        if index == 0:
            # The demo login `fachkraft` acts for the first school and made its requests.
            fachkraft = User.objects.filter(username="fachkraft").first()
            if fachkraft is not None:
                written += _requester_load(fachkraft, institution)
                requester = fachkraft
        institutions.append((institution, place, requester))
    written += _grant(roles.REQUESTER, users)
    profiles = list(
        MediatorProfile.objects.filter(pk__in=[p.pk for p in profiles]).prefetch_related(
            "languages__language",
            "windows",
            Prefetch("districts", queryset=District.objects.only("pk")),
        )
    )
    written += _requests_load(
        request_plans(today, institution_plans()),
        institutions,
        _candidates(profiles),
        mittler.mediator_profile.pk if mittler is not None else None,
        now,
    )
    written += _statements_load(today, now)
    return written
