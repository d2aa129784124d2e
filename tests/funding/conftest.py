"""The people and things in the funding stories.

vera acts for the small association "Nachbarschaftstreff Nord" (organisation member), otto for
another organisation, alice is centre staff (conftest), gerd and greta sit on the committee.
KOMM-AN NRW is seeded; its period "2026" is open for applications with a budget of 10,000 €.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from teilhabe.core import roles
from teilhabe.core.models import ActionField, Organisation
from teilhabe.core.services import membership_add, reference_data_load
from teilhabe.funding import services
from teilhabe.funding.models import (
    Application,
    FormalCheck,
    FundingProfile,
    MeasureType,
    Period,
    Programme,
)
from teilhabe.funding.reference import programmes_load
from tests.conftest import add_totp_device, make_user

IBAN = "DE89370400440532013000"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploads and letters go to a temporary folder, never into var/."""
    settings.FUNDING_PRIVATE_ROOT = tmp_path / "funding-private"


@pytest.fixture
def komm_an(db) -> Programme:
    # The shared vocabulary (fields of action, target groups) and the seeded programmes.
    reference_data_load()
    programmes_load()
    return Programme.objects.get(slug="komm-an-nrw")


def make_period(programme: Programme, *, budget_cents=1_000_000, name="2026", **fields) -> Period:
    now = timezone.now()
    values = {
        "applications_open": now - timedelta(days=10),
        "applications_close": now + timedelta(days=20),
        "decision_date": (now + timedelta(days=30)).date(),
        "starts_on": date(now.year, 1, 1),
        "ends_on": date(now.year + 1, 12, 31),
        **fields,
    }
    return Period.objects.create(
        programme=programme, name=name, budget_cents=budget_cents, **values
    )


@pytest.fixture
def period(komm_an) -> Period:
    return make_period(komm_an)


def meeting_point(programme: Programme) -> MeasureType:
    return programme.measure_types.get(slug="ankommenstreffpunkt")


def low_threshold(programme: Programme) -> MeasureType:
    return programme.measure_types.get(slug="begleitung-orientierung")


def information(programme: Programme) -> MeasureType:
    return programme.measure_types.get(slug="information-wissen")


def make_organisation(slug: str, name: str, *, is_small=False, kind="club") -> Organisation:
    organisation = Organisation.objects.create(slug=slug, name=name, is_small=is_small, kind=kind)
    FundingProfile.objects.create(
        organisation=organisation,
        legal_form="ev",
        account_holder=name,
        iban=IBAN,
        bic="COBADEFFXXX",
        contact_name="Vera Vorstand",
        contact_email=f"info@{slug}.example.org",
    )
    return organisation


def make_member(username: str, organisation: Organisation):
    user = make_user(username, roles.ORGANISATION_MEMBER)
    membership_add(user=user, organisation=organisation)
    return user


@pytest.fixture
def treff(db) -> Organisation:
    return make_organisation("treff-nord", "Nachbarschaftstreff Nord", is_small=True)


@pytest.fixture
def vera(treff):
    return make_member("vera", treff)


@pytest.fixture
def other_org(db) -> Organisation:
    return make_organisation("kulturverein-sued", "Kulturverein Süd")


@pytest.fixture
def otto(other_org):
    return make_member("otto", other_org)


def make_committee_member(username: str):
    user = make_user(username, roles.COMMITTEE_MEMBER)
    add_totp_device(user)
    return user


@pytest.fixture
def gerd(db):
    return make_committee_member("gerd")


@pytest.fixture
def greta(db):
    return make_committee_member("greta")


def draft_application(
    user, organisation, period, *, meeting_points=2, offers=0, title="Ankommen im Norden"
) -> Application:
    """A complete draft: two arrival meeting points (2 × 2,000 €) unless told otherwise."""
    application = services.application_start(
        user=user, period=period, organisation=organisation, title=title
    )
    services.application_update(
        user=user,
        application=application,
        title=title,
        summary="Zwei Treffpunkte für Neuzugewanderte im Stadtbezirk.",
        action_fields=ActionField.objects.filter(number=3),
    )
    programme = period.programme
    if meeting_points:
        services.measure_save(
            user=user,
            application=application,
            data=services.MeasureData(
                measure_type=meeting_point(programme),
                title="Treffpunkt Nordmarkt",
                units=meeting_points,
            ),
        )
    if offers:
        services.measure_save(
            user=user,
            application=application,
            data=services.MeasureData(
                measure_type=low_threshold(programme), title="Sprachcafé", units=offers
            ),
        )
    application.refresh_from_db()
    return application


def submitted_application(user, organisation, period, **kwargs) -> Application:
    application = draft_application(user, organisation, period, **kwargs)
    services.application_submit(user=user, application=application)
    application.refresh_from_db()
    return application


def checked_application(user, organisation, period, staff, **kwargs) -> Application:
    application = submitted_application(user, organisation, period, **kwargs)
    services.formal_check_record(
        user=staff,
        application=application,
        checklist={key: True for key, _label in services.CHECKLIST},
        outcome=FormalCheck.Outcome.PASSED,
    )
    application.refresh_from_db()
    return application


def score_all(member, application, points: int, recommendation="fund"):
    criteria = application.period.programme.criteria.all()
    return services.review_save(
        user=member,
        application=application,
        points={c.pk: points for c in criteria},
        recommendation=recommendation,
    )
