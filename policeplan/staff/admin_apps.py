from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, on a site that signs in through the staff sign-in (one lockout, TOTP)."""

    default_site = "policeplan.staff.admin_site.StaffAdminSite"
