from django.contrib.admin.apps import AdminConfig


class TeilhabeAdminConfig(AdminConfig):
    """The Django admin, but only for staff who have passed the second factor."""

    default_site = "teilhabe.core.admin_site.TeilhabeAdminSite"
