"""Give the roles their permissions on captures (claims/roles.py)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from claims.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_captures")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
