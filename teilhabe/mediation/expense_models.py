"""Monthly expense statements of mediators (issue 4 §8). Imported at the end of models.py, so
Django finds them as models of the mediation app; they refer to the workflow's models by name.

A statement belongs to one mediator and one month and holds one line per done appointment and
per paid late cancellation. Each assignment and each cancellation can be on one statement only,
ever (unique in the database), so creating statements again never pays anything twice. The rates
are copied onto the statement when it is created: a draft keeps pricing new lines with them, and
an approved statement never changes.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import TimeStamped
from teilhabe.mediation import expenses


class ExpenseStatement(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    mediator = models.ForeignKey(
        "mediation.MediatorProfile",
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="expense_statements",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    rate_cents_per_hour = models.PositiveIntegerField(_("rate per hour (cents)"))
    rate_cents_per_km = models.PositiveIntegerField(_("rate per km (cents)"))
    late_cancel_max_minutes = models.PositiveSmallIntegerField(
        _("late cancellation: most minutes paid")
    )
    # Totals of the lines, kept in step by expense_services (never edited by hand).
    paid_minutes = models.PositiveIntegerField(_("paid minutes"), default=0)
    km = models.DecimalField(_("km"), max_digits=8, decimal_places=1, default=Decimal(0))
    ticket_cents = models.PositiveIntegerField(_("tickets (cents)"), default=0)
    time_cents = models.PositiveIntegerField(_("time (cents)"), default=0)
    travel_cents = models.PositiveIntegerField(_("travel (cents)"), default=0)
    total_cents = models.PositiveIntegerField(_("total (cents)"), default=0)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expense statement")
        verbose_name_plural = _("expense statements")
        ordering = ["-month", "mediator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mediator", "month"], name="expense_statement_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(total_cents=models.F("time_cents") + models.F("travel_cents")),
                name="expense_statement_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", approved_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False),
                name="expense_statement_approval_dated",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="expense_statement_month")]

    def __str__(self) -> str:
        return f"{self.number} {self.mediator}"

    @property
    def number(self) -> str:
        """The reference the city's accounting files it under: month and mediator."""
        return f"SM-{self.month:%Y-%m}-{self.mediator_id:05d}"

    @property
    def rates(self) -> expenses.Rates:
        return expenses.Rates(
            cents_per_hour=self.rate_cents_per_hour,
            cents_per_km=self.rate_cents_per_km,
            late_cancel_max_minutes=self.late_cancel_max_minutes,
        )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ExpenseLine(models.Model):
    class Kind(models.TextChoices):
        DONE = expenses.DONE, _("Appointment")
        LATE_CANCELLATION = expenses.LATE_CANCELLATION, _("Late cancellation")

    statement = models.ForeignKey(ExpenseStatement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    assignment = models.OneToOneField(
        "mediation.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expense_line",
    )
    cancellation = models.OneToOneField(
        "mediation.Cancellation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expense_line",
    )
    day = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    paid_minutes = models.PositiveSmallIntegerField(_("paid minutes"))
    km = models.DecimalField(_("km"), max_digits=6, decimal_places=1, null=True, blank=True)
    ticket_cents = models.PositiveIntegerField(_("ticket (cents)"), null=True, blank=True)
    time_cents = models.PositiveIntegerField(_("time (cents)"))
    travel_cents = models.PositiveIntegerField(_("travel (cents)"))

    class Meta:
        verbose_name = _("line of an expense statement")
        verbose_name_plural = _("lines of expense statements")
        ordering = ["day", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="done", assignment__isnull=False, cancellation__isnull=True)
                | Q(kind="late_cancellation", assignment__isnull=True, cancellation__isnull=False),
                name="expense_line_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y} {self.get_kind_display()}"

    @property
    def total_cents(self) -> int:
        return self.time_cents + self.travel_cents
