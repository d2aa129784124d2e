from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from teilhabe.core import services
from teilhabe.core.models import (
    ActionField,
    District,
    Language,
    Membership,
    Organisation,
    TargetGroup,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class TeilhabeUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (None, {"fields": ["preferred_language"]}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "is_small", "is_active"]
    list_filter = ["kind", "district", "is_small", "is_active"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["district"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        services.organisation_locate(obj)
        super().save_model(request, obj, form, change)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug"]
    readonly_fields = ["geometry", "min_lon", "min_lat", "max_lon", "max_lat"]

    def has_add_permission(self, request):
        return False  # districts come from a GeoJSON file: manage.py load_districts


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_native", "direction", "sort_order"]
    search_fields = ["code", "name_en", "name_native"]


@admin.register(ActionField)
class ActionFieldAdmin(admin.ModelAdmin):
    list_display = ["number", "german_name", "name"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "sort_order"]
