"""Admin classes for records that change only through a module's services (money, locks,
e-mails): staff may look, nobody may add, change or delete them in the admin."""

from django.contrib import admin


class NoChangesMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(NoChangesMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(NoChangesMixin, admin.TabularInline):
    """The rows of a read-only record, shown as a table of `fields`."""

    extra = 0
    can_delete = False
