"""Create the five staff roles as groups, each with its permissions (see staff/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVERY_ROLE = ["staff.use_staff_area", "staff.view_drafts"]
ROLE_PERMISSIONS = {
    "analyst": [*EVERY_ROLE, "staff.enter_data", "staff.draft_commentary"],
    "data owner": [*EVERY_ROLE, "staff.confirm_data"],
    "approver": [
        *EVERY_ROLE,
        "staff.approve_submissions",
        "staff.set_targets",
        "staff.withdraw_figures",
        "staff.view_audit_log",
    ],
    "panel member": [*EVERY_ROLE],
    "admin": [
        *EVERY_ROLE,
        "staff.view_audit_log",
        "staff.use_admin_site",
        *(f"auth.{a}_{m}" for a in ("view", "add", "change") for m in ("user", "group")),
        "staff.view_staffprofile",
        "staff.change_staffprofile",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    ],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = []
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*found)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
