"""The Dortmund demo: districts, vocabulary, a few organisations and one login per role.

Every record here is an example (labelled "Demo" in its description); loading twice changes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.core import roles, services
from teilhabe.core.models import Organisation, User
from teilhabe.core.modules import module_loaders

DORTMUND_DISTRICTS = Path(settings.BASE_DIR) / "data" / "dortmund" / "stadtbezirke.geojson"
DEMO_PASSWORD = "teilhabe-demo"  # noqa: S105 - published on purpose: demo installations only
# A fixed TOTP secret for demo accounts that need a second factor, so the printed login works.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
DEMO_TOTP_KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    latitude: float
    longitude: float
    is_small: bool = False


# Coordinates are near public facilities of the districts named (city open data).
ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("awo-demo", "AWO Unterbezirk Dortmund", "welfare", 51.5165, 7.4610),
    DemoOrganisation("caritas-demo", "Caritasverband Dortmund", "welfare", 51.5016, 7.4670),
    DemoOrganisation("diakonie-demo", "Diakonisches Werk Dortmund", "welfare", 51.4889, 7.5000),
    DemoOrganisation("paritaet-demo", "Der Paritätische Dortmund", "welfare", 51.5222, 7.5448),
    DemoOrganisation(
        "vmdo-demo",
        "VMDO – Verbund der sozial-kulturellen Migrantenvereine",
        "migrant",
        51.5207,
        7.4517,
        is_small=True,
    ),
    DemoOrganisation(
        "africa-positive-demo", "Africa Positive", "migrant", 51.5493, 7.4629, is_small=True
    ),
    DemoOrganisation(
        "sprachcafe-eving-demo",
        "Sprachcafé Eving (Initiative)",
        "initiative",
        51.5500,
        7.4640,
        is_small=True,
    ),
    DemoOrganisation(
        "sportverein-scharnhorst-demo",
        "Sportverein Scharnhorst",
        "club",
        51.5510,
        7.5449,
        is_small=True,
    ),
    DemoOrganisation(
        "moschee-huckarde-demo",
        "Moscheegemeinde Huckarde",
        "religious",
        51.5340,
        7.4063,
        is_small=True,
    ),
    DemoOrganisation(
        "kirche-hombruch-demo", "Ev. Kirchengemeinde Hombruch", "religious", 51.4754, 7.4397
    ),
    DemoOrganisation(
        "fluechtlingshilfe-mengede-demo",
        "Flüchtlingshilfe Mengede",
        "initiative",
        51.5706,
        7.3844,
        is_small=True,
    ),
    DemoOrganisation("vhs-demo", "Volkshochschule Dortmund", "education", 51.5150, 7.4650),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: roles.Role
    organisations: tuple[str, ...] = ()


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("staff", "Sabine", "Schulz", roles.STAFF),
    DemoLogin("traeger", "Murat", "Yilmaz", roles.ORGANISATION_MEMBER, ("awo-demo", "vmdo-demo")),
    DemoLogin("verein", "Amina", "Haile", roles.ORGANISATION_MEMBER, ("africa-positive-demo",)),
    DemoLogin("mittler", "Yonas", "Tesfay", roles.MEDIATOR),
    DemoLogin("fachkraft", "Petra", "Becker", roles.REQUESTER),
    DemoLogin("ehrenamt", "Lena", "Wagner", roles.VOLUNTEER),
    DemoLogin("gremium", "Thomas", "Krüger", roles.COMMITTEE_MEMBER),
    DemoLogin("dlz", "Elif", "Demir", roles.PLACEMENT_OFFICER),
)


@transaction.atomic
def demo_load(*, with_logins: bool) -> int:
    """Load everything the demo needs. Returns how many rows were written (0 on a second run)."""
    services.roles_sync()
    written = services.reference_data_load()
    written += services.districts_load(
        DORTMUND_DISTRICTS, number_property="stadtbezirk_nr", name_property="stadtbezirk"
    )
    for demo in ORGANISATIONS:
        organisation = Organisation(latitude=demo.latitude, longitude=demo.longitude)
        services.organisation_locate(organisation)
        _org, changed = services.upsert(
            Organisation,
            {"slug": demo.slug},
            {
                "name": demo.name,
                "kind": demo.kind,
                "city": "Dortmund",
                "latitude": demo.latitude,
                "longitude": demo.longitude,
                "district": organisation.district,
                "is_small": demo.is_small,
                "email": f"info@{demo.slug}.example.org",
                "description": "Demo-Datensatz: ein Beispiel, keine echte Kontaktangabe.",
            },
        )
        written += changed
    if with_logins:
        written += _demo_logins_load()
    # Then each module's reference data and demo records (offers, …), in INSTALLED_APPS order.
    for loader in module_loaders("reference") + module_loaders("demo"):
        written += loader()
    return written


def _demo_logins_load() -> int:
    written = 0
    for login in LOGINS:
        user, changed = services.upsert(
            User,
            {"username": login.username},
            {
                "first_name": login.first_name,
                "last_name": login.last_name,
                "email": f"{login.username}@demo.example.org",
                "is_active": True,
            },
        )
        written += changed
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            written += 1
        if not roles.has_role(user, login.role):
            services.user_grant_role(user=user, role=login.role)
            written += 1
        for slug in login.organisations:
            organisation = Organisation.objects.get(slug=slug)
            if not user.memberships.filter(organisation=organisation).exists():
                services.membership_add(user=user, organisation=organisation)
                written += 1
        if login.role.requires_second_factor:
            _device, changed = services.upsert(
                TOTPDevice,
                {"user": user, "name": "Demo"},
                {"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
            )
            written += changed
    return written
