from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import StaffProfile


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0


user_model = get_user_model()
if admin.site.is_registered(user_model):
    admin.site.unregister(user_model)


@admin.register(user_model)
class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [StaffProfileInline]
    list_display = ("username", "email", "is_active", "roles", "last_login")
    list_filter = ("is_active", "groups")

    @admin.display(description="Roles")
    def roles(self, user: object) -> str:
        return ", ".join(g.name for g in user.groups.all())  # type: ignore[attr-defined]
