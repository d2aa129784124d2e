"""Roles declared as data. Each role is a Django group; a user may hold several.

Permissions are cumulative lists of "app_label.codename"; modules add their own roles' permissions
here as they arrive. `manage.py sync_roles` (also run by migrate) makes the groups match this file.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    description: str
    permissions: tuple[str, ...] = ()
    # Roles that see personal data or money must pass a second factor (TOTP) to act.
    requires_second_factor: bool = False
    # Whether the role uses the Django admin (is_staff).
    admin_access: bool = False

    @property
    def group_name(self) -> str:
        return f"role:{self.slug}"


_VOCABULARY = tuple(
    f"core.{action}_{model}"
    for model in (
        "organisation",
        "membership",
        "district",
        "language",
        "actionfield",
        "targetgroup",
    )
    for action in ("add", "change", "delete", "view")
)

_OFFER_MAP = (
    *(
        f"offers.{action}_{model}"
        for model in ("offer", "category", "offertranslation", "weeklyslot", "oneoffdate")
        for action in ("add", "change", "delete", "view")
    ),
    "offers.view_dailyviews",
)

# Permissions of the later modules, filled in by each module (models it lets staff change).
_MEDIATION_STAFF: tuple[str, ...] = (
    *(
        f"mediation.{action}_{model}"
        for model in (
            "mediatorprofile",
            "mediatorlanguage",
            "availabilitywindow",
            "absence",
            "institution",
            "institutionplace",
            "requesterprofile",
            "mediationrequest",
            "assignment",
            "cancellation",
            "batchproposal",
            "batchitem",
        )
        for action in ("add", "change", "delete", "view")
    ),
    "mediation.view_mediatorrecordaccess",
    # Expense statements change only through expense_services; staff view them in the admin.
    "mediation.view_expensestatement",
    "mediation.view_expenseline",
)
_FUNDING_STAFF: tuple[str, ...] = (
    # Programmes, periods, measure types and criteria are edited in the admin; the workflow's
    # records change only through the funding services, so staff get to view them there.
    *(
        f"funding.{action}_{model}"
        for model in ("programme", "period", "measuretype", "reviewcriterion")
        for action in ("add", "change", "view")
    ),
    *(
        f"funding.view_{model}"
        for model in (
            "fundingprofile",
            "bankdataread",
            "application",
            "measure",
            "attachment",
            "formalcheck",
            "conflictofinterest",
            "review",
            "score",
            "allocation",
            "allocationentry",
            "decision",
            "paymentplan",
            "instalment",
            "payment",
            "proofofuse",
            "proofline",
            "proofreceipt",
            "proofcheck",
            "repaymentclaim",
            "repayment",
            "proofreminder",
        )
    ),
    "funding.change_fundingprofile",
)

STAFF = Role(
    "staff",
    _("Centre staff"),
    _("Staff of the integration centre: manage the shared vocabulary, accounts and every module."),
    permissions=(
        *_VOCABULARY,
        *_OFFER_MAP,
        *_MEDIATION_STAFF,
        *_FUNDING_STAFF,
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "auditlog.view_logentry",
    ),
    requires_second_factor=True,
    admin_access=True,
)
ORGANISATION_MEMBER = Role(
    "organisation_member",
    _("Organisation member"),
    _("Acts for one or more organisations: their offers, funding applications and volunteers."),
)
MEDIATOR = Role(
    "mediator",
    _("Language mediator"),
    _("Volunteer language mediator: keeps their availability and sees their assignments."),
)
REQUESTER = Role(
    "requester",
    _("Requester"),
    _("Professional who requests a language mediator for an institution."),
)
VOLUNTEER = Role(
    "volunteer",
    _("Volunteer"),
    _("Volunteer looking for or holding a task with an organisation."),
)
COMMITTEE_MEMBER = Role(
    "committee_member",
    _("Committee member"),
    _("Member of the funding decision committee (Entscheidungsgremium)."),
    requires_second_factor=True,
)
PLACEMENT_OFFICER = Role(
    "placement_officer",
    _("School-placement officer"),
    _("Places newly arrived pupils in schools (DLZ Bildung)."),
    requires_second_factor=True,
)

ROLES: tuple[Role, ...] = (
    STAFF,
    ORGANISATION_MEMBER,
    MEDIATOR,
    REQUESTER,
    VOLUNTEER,
    COMMITTEE_MEMBER,
    PLACEMENT_OFFICER,
)
ROLES_BY_SLUG = {role.slug: role for role in ROLES}


def roles_of(user) -> list[Role]:
    """The roles a user holds (none for anonymous visitors)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_teilhabe_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in ROLES if role.group_name in names]
        user._teilhabe_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def needs_second_factor(user) -> bool:
    return any(role.requires_second_factor for role in roles_of(user)) or bool(
        getattr(user, "is_superuser", False)
    )
