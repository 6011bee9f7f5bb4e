"""Trigram indexes for the duplicate warnings (claims/duplicates.py), on
PostgreSQL only: a claim's text, and actor aliases (actor names have had one
since 0002). The `%` operator finds the similar rows through them, so a
warning costs the same at a million claims as at a thousand."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS actor_alias_name_trgm ON claims_actoralias USING gin (name gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS claim_text_trgm",
    "DROP INDEX IF EXISTS actor_alias_name_trgm",
]


def run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_roles_captures")]

    operations = [migrations.RunPython(run_on_postgres(CREATE), run_on_postgres(DROP))]
