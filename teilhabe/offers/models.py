"""The offer map (Angebotskarte): help offers for newcomers and volunteers, kept current by the
organisations that run them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import (
    District,
    Language,
    Organisation,
    TargetGroup,
    TimeStamped,
    Weekday,
)


class Category(models.Model):
    """One of the map's categories (six in Dortmund); editable data with a colour and an icon.

    The name is German; `names` holds its translations ({"en": …, "ar": …}).
    """

    class Icon(models.TextChoices):
        COUNSELLING = "counselling", _("Speech bubble (counselling)")
        DONATIONS = "donations", _("Clothes hanger (donations)")
        EDUCATION = "education", _("Book (education)")
        MENTORING = "mentoring", _("Two people (mentoring)")
        LEISURE = "leisure", _("Ball (sport and leisure)")
        MEETING = "meeting", _("Cup (meeting point)")
        OTHER = "other", _("Dot (other)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=100)
    names = models.JSONField(
        _("translated names"),
        default=dict,
        blank=True,
        help_text=_('For example {"en": "Counselling", "ar": "استشارات"}'),
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#0b5394",
        help_text=_("Hex colour of the map marker, dark enough for white text, e.g. #0b5394."),
    )
    icon = models.CharField(_("icon"), max_length=20, choices=Icon.choices, default=Icon.OTHER)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="category_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        return self.names.get(language or get_language() or "de") or self.name


class OfferQuerySet(models.QuerySet):
    def public(self) -> "OfferQuerySet":
        """What anonymous visitors may see: published, not a pending change, not stale."""
        return self.filter(
            status=Offer.Status.PUBLISHED, revision_of__isnull=True, left_map_at__isnull=True
        )

    def originals(self) -> "OfferQuerySet":
        return self.filter(revision_of__isnull=True)


class Offer(TimeStamped):
    """A help offer at one place. German title and description; translations in OfferTranslation.

    A change to a published offer is stored as a second row with `revision_of` set; the published
    version stays on the map until staff approve the change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Access(models.TextChoices):
        UNKNOWN = "unknown", _("Not known")
        YES = "yes", _("Wheelchair accessible")
        PARTLY = "partly", _("Partly wheelchair accessible")
        NO = "no", _("Not wheelchair accessible")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("title (German)"), max_length=200)
    description = models.TextField(_("description (German)"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="offers"
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="offers"
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost_note = models.CharField(_("costs"), max_length=200, blank=True)
    wheelchair_access = models.CharField(
        _("wheelchair access"), max_length=10, choices=Access.choices, default=Access.UNKNOWN
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    by_appointment = models.BooleanField(_("by appointment"), default=False)
    hours_note = models.CharField(_("note on opening hours"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # No plain index on status or revision_of: nearly every offer is published and original, so
    # such an index finds almost everything, yet SQLite (without statistics) would prefer it to
    # the selective ones below. The partial indexes in Meta serve the few rows that are not.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("change of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        db_index=False,  # offer_one_pending_revision (unique, partial) indexes it
    )
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    left_map_at = models.DateTimeField(_("left the map (not confirmed)"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        indexes = [
            # bbox and the map's grid; it also holds the public filter's columns, so that
            # counting and grouping offers by place never has to read the table itself.
            models.Index(
                fields=[
                    "latitude",
                    "longitude",
                    "category",
                    "status",
                    "revision_of",
                    "left_map_at",
                ],
                name="offer_place",
            ),
            models.Index(fields=["title", "id"], name="offer_list_order"),  # list order
            # A text search within a category checks each offer the text index found: this
            # index answers the public filter, the bbox and the list order for it without
            # reading the table (SQLite: a search over 100,000 offers in a third of the time).
            models.Index(
                fields=[
                    "category",
                    "id",
                    "status",
                    "left_map_at",
                    "revision_of",
                    "latitude",
                    "longitude",
                    "title",
                ],
                name="offer_found_in_category",
            ),
            models.Index(
                fields=["updated_at"],
                condition=Q(status="review"),
                name="offer_review_queue",
            ),
        ]
        # Text search: search.py (an FTS5 table on SQLite, pg_trgm indexes on PostgreSQL).
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="offer_coordinates_valid",
            ),
            # Nothing without a place goes on the map.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(latitude__isnull=False),
                name="offer_published_has_place",
            ),
            # At most one pending change per published offer.
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=Q(revision_of__isnull=False),
                name="offer_one_pending_revision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.revision_of_id is None
            and self.left_map_at is None
        )

    def translation_for(self, language: str) -> "OfferTranslation | None":
        """The published translation into `language`, or None (the German text is shown then)."""
        if language == "de":
            return None
        for translation in self.translations.all():  # prefetched on lists
            if translation.language == language and translation.is_published:
                return translation
        return None

    def text_in(self, language: str) -> tuple[str, str, bool]:
        """(title, description, fell_back_to_german) for a visitor reading `language`."""
        translation = self.translation_for(language)
        if translation is None:
            return self.title, self.description, language != "de"
        return translation.title, translation.description or self.description, False


class OfferTranslation(TimeStamped):
    """The title and description of an offer in one more language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=12)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    machine_translated = models.BooleanField(_("machine-translated"), default=False)
    source_language = models.CharField(_("translated from"), max_length=12, default="de")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["offer", "language"], name="offer_translation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class WeeklySlot(models.Model):
    """The offer is open every week on this day between these times (local time)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="weekly_slot_opens_before_closes"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_slot_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OneOffDate(models.Model):
    """A single date of an offer that does not run weekly (an event, a course day)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("starts"), null=True, blank=True)
    ends = models.TimeField(_("ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__isnull=True)
                | Q(ends__isnull=True)
                | Q(starts__lt=models.F("ends")),
                name="one_off_date_starts_before_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class DailyViews(models.Model):
    """How often the map (offer is None) or an offer's page was opened on a day.

    Only a count: no cookie, no address, no user is stored.
    """

    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["offer", "day"], name="daily_views_offer_day"),
            models.UniqueConstraint(
                fields=["day"], condition=Q(offer__isnull=True), name="daily_views_map_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.count}"
