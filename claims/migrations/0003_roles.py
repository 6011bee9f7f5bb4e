"""The Editor and Reviewer groups (claims/roles.py says what each may do)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from claims.roles import ensure_roles

    ensure_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_postgres_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
