"""Give the roles their permissions on external reviews (claims/roles.py)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from claims.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_bounded_text_future_dates_external_reviews")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
