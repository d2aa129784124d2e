from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teilhabe.offers import csv_io, services
from teilhabe.offers.models import Category, Offer, OfferTranslation, OneOffDate, WeeklySlot


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "icon", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}


class TranslationInline(admin.StackedInline):
    model = OfferTranslation
    extra = 0


class WeeklySlotInline(admin.TabularInline):
    model = WeeklySlot
    extra = 0


class OneOffDateInline(admin.TabularInline):
    model = OneOffDate
    extra = 0


class OfferImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (in Excel: “CSV UTF-8”), separated by commas or semicolons."),
    )
    publish = forms.BooleanField(
        label=_("Publish directly"),
        required=False,
        help_text=_("Put the offers on the map at once instead of sending them to review."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "category",
        "district",
        "status",
        "last_confirmed_at",
        "is_demo",
    ]
    list_filter = ["status", "category", "district", "is_demo"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["languages", "target_groups"]
    readonly_fields = ["district", "revision_of", "published_at", "reminder_sent_at", "left_map_at"]
    inlines = [TranslationInline, WeeklySlotInline, OneOffDateInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["export_csv"]

    @admin.action(description=_("Export selected offers as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(
            csv_io.offers_export(queryset.order_by("pk")), content_type="text/csv; charset=utf-8"
        )
        filename = f"angebote-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="{}_{}_import_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_csv_view(self, request):
        """Upload a CSV file of offers: all rows are imported, or none and every error shown."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors: list[csv_io.RowError] = []
        if request.method == "POST":
            form = OfferImportForm(request.POST, request.FILES)
            if form.is_valid():
                publish = form.cleaned_data["publish"]
                try:
                    offers = csv_io.offers_import(
                        form.cleaned_data["file"].read(), publish=publish, user=request.user
                    )
                except csv_io.CsvImportError as exc:
                    errors = exc.errors
                else:
                    if publish:
                        text = ngettext(
                            "%(count)d offer imported and published.",
                            "%(count)d offers imported and published.",
                            len(offers),
                        )
                    else:
                        text = ngettext(
                            "%(count)d offer imported; it waits for review.",
                            "%(count)d offers imported; they wait for review.",
                            len(offers),
                        )
                    self.message_user(request, text % {"count": len(offers)}, messages.SUCCESS)
                    changelist = reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
                    )
                    status = "published" if publish else "review"
                    return redirect(f"{changelist}?status__exact={status}")
        else:
            form = OfferImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import offers from CSV"),
            "form": form,
            "errors": errors,
            "columns": csv_io.COLUMN_HELP,
            "has_geocoder": bool(getattr(settings, "OFFERS_GEOCODER", None)),
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/offers/offer/import_csv.html", context)

    def save_model(self, request, obj, form, change):
        services.offer_locate(obj)
        super().save_model(request, obj, form, change)
