"""Small builders for mediation tests: a mediator who speaks a language, an institution with a
place, a requester, a request, an assignment. Keyword arguments override the defaults."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.models import District, Language
from teilhabe.mediation.models import (
    Area,
    Assignment,
    AvailabilityWindow,
    Institution,
    InstitutionPlace,
    MediationRequest,
    MediatorLanguage,
    MediatorProfile,
    RequesterProfile,
    Setting,
)
from tests.conftest import make_user


def language(code: str = "ti", name: str = "Tigrinya") -> Language:
    lang, _created = Language.objects.get_or_create(
        code=code, defaults={"name_en": name, "name_native": name}
    )
    return lang


def district(number: int = 1) -> District | None:
    return District.objects.filter(number=number).first()


def mediator(
    username: str = "mira",
    *,
    languages: tuple[tuple[str, str], ...] = (("ti", "native"),),
    dialect: str = "",
    all_week: bool = True,
    **fields,
) -> MediatorProfile:
    user = make_user(username, roles.MEDIATOR)
    user.first_name = fields.pop("first_name", username.capitalize())
    user.last_name = fields.pop("last_name", "Tesfay")
    user.preferred_language = "en"  # tests read the e-mails in English
    user.save()
    defaults = {
        "status": MediatorProfile.Status.ACTIVE,
        "areas": [code for code, _label in Area.choices],
        "settings_accepted": [code for code, _label in Setting.choices],
        "training_date": date(2024, 1, 10),
        "confidentiality_date": date(2024, 1, 10),
        "phone": "0231 100200",
        "max_per_week": 5,
    }
    defaults.update(fields)
    profile = MediatorProfile.objects.create(user=user, **defaults)
    for code, level in languages:
        MediatorLanguage.objects.create(
            mediator=profile, language=language(code), level=level, dialect=dialect
        )
    if all_week:
        for weekday in range(7):
            AvailabilityWindow.objects.create(
                mediator=profile, weekday=weekday, start_time=time(7, 0), end_time=time(20, 0)
            )
    return profile


def institution(name: str = "Grundschule Kleine Kielstraße", **fields) -> Institution:
    fields.setdefault("kind", Institution.Kind.SCHOOL)
    inst = Institution.objects.create(name=name, **fields)
    InstitutionPlace.objects.create(
        institution=inst, name=name, street="Kleine Kielstraße 1", district=district(2)
    )
    return inst


def requester(username: str = "rita", inst: Institution | None = None) -> RequesterProfile:
    user = make_user(username, roles.REQUESTER)
    user.preferred_language = "en"  # tests read the e-mails in English
    user.save()
    return RequesterProfile.objects.create(user=user, institution=inst or institution())


def next_week_at(hour: int = 10, minute: int = 0, days: int = 7) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def request(
    inst: Institution | None = None,
    *,
    starts_at: datetime | None = None,
    minutes: int = 60,
    **fields,
) -> MediationRequest:
    inst = inst or institution()
    starts_at = starts_at or next_week_at()
    defaults = {
        "language": language(),
        "setting": Setting.IN_PERSON,
        "area": Area.EDUCATION,
        "topic": "Parents' evening",
        "terms_accepted_at": timezone.now(),
    }
    defaults.update(fields)
    if defaults["setting"] == Setting.IN_PERSON and "place" not in defaults:
        defaults["place"] = inst.places.first()
    return MediationRequest.objects.create(
        institution=inst,
        starts_at=starts_at,
        duration_minutes=minutes,
        ends_at=starts_at + timedelta(minutes=minutes),
        **defaults,
    )


def assignment(req: MediationRequest, med: MediatorProfile, **fields) -> Assignment:
    defaults = {
        "blocked_start": req.starts_at - timedelta(minutes=15),
        "blocked_end": req.ends_at + timedelta(minutes=15),
        "answer_deadline": timezone.now() + timedelta(hours=24),
    }
    defaults.update(fields)
    return Assignment.objects.create(request=req, mediator=med, **defaults)


def request_input(inst: Institution, **fields):
    from teilhabe.mediation.services import RequestInput

    defaults = {
        "language": language(),
        "starts_at": next_week_at(10),
        "duration_minutes": 60,
        "setting": Setting.IN_PERSON,
        "area": Area.EDUCATION,
        "topic": "Parents' evening",
        "place": inst.places.first(),
        "terms_accepted": True,
    }
    defaults.update(fields)
    return RequestInput(**defaults)


def book(requester_profile: RequesterProfile, **fields) -> MediationRequest:
    """A request through the service (offered at once to the best candidate)."""
    from teilhabe.mediation import services

    return services.request_create(
        user=requester_profile.user, data=request_input(requester_profile.institution, **fields)
    )
