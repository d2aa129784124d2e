"""The shared vocabulary of every module: people, organisations, districts, languages, tags."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    """Days of the week as Python numbers them (date.weekday()), shared by every weekly schedule."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person with a log-in. What they may do comes from their roles (see roles.py)."""

    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Language of e-mails sent to this person."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Organisation(TimeStamped):
    """A provider organisation (Träger): runs offers, applies for funding, hosts volunteers."""

    class Kind(models.TextChoices):
        WELFARE_ASSOCIATION = "welfare", _("Welfare association")
        MIGRANT_ORGANISATION = "migrant", _("Migrant organisation")
        CLUB = "club", _("Club or association")
        RELIGIOUS_COMMUNITY = "religious", _("Religious community")
        REFUGEE_INITIATIVE = "initiative", _("Refugee initiative")
        EDUCATIONAL_INSTITUTION = "education", _("Educational institution")
        MUNICIPAL_OFFICE = "municipal", _("Municipal office")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    # A stable public identifier for open data (HSDS organization.id).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        "District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_small = models.BooleanField(
        _("small organisation"),
        default=False,
        help_text=_("Small organisations get a fair chance in funding decisions."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        User,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="organisation_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped):
    """A user acts for an organisation (maintains its offers, applies for its funding)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class District(TimeStamped):
    """A city district (Stadtbezirk) with its boundary as a GeoJSON geometry (WGS84)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    # Bounding box, so a point lookup only tests the polygons that can contain it.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language newcomers, mediators or offers speak (not the interface language)."""

    class Direction(models.TextChoices):
        LTR = "ltr", _("left to right")
        RTL = "rtl", _("right to left")

    code = models.CharField(
        _("ISO 639 code"),
        max_length=12,
        unique=True,
        help_text=_("ISO 639-1 where it exists (ar), otherwise ISO 639-3 (prs, kmr)."),
    )
    name_en = models.CharField(_("English name"), max_length=100)
    name_native = models.CharField(_("native name"), max_length=100)
    direction = models.CharField(
        _("text direction"), max_length=3, choices=Direction.choices, default=Direction.LTR
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["sort_order", "name_en"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the visitor's interface language (seeded names are in the catalogue)."""
        return gettext(self.name_en)


class NamedTag(models.Model):
    """A small controlled vocabulary entry whose English name is translated through gettext."""

    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class ActionField(NamedTag):
    """A field of action (Handlungsfeld) of the Masterplan Migration/Integration."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    german_name = models.CharField(_("German name"), max_length=100)

    class Meta(NamedTag.Meta):
        verbose_name = _("field of action (Handlungsfeld)")
        verbose_name_plural = _("fields of action (Handlungsfelder)")
        ordering = ["number"]


class TargetGroup(NamedTag):
    class Meta(NamedTag.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
