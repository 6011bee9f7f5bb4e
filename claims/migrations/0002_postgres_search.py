"""Full-text and trigram indexes for search, on PostgreSQL only (SQLite falls
back to a plain match on the same search text)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS claim_search_vector_gin ON claims_claim USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS claim_search_document_trgm ON claims_claim "
    "USING gin (search_document gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS actor_name_trgm ON claims_actor USING gin (name gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS claim_search_vector_gin",
    "DROP INDEX IF EXISTS claim_search_document_trgm",
    "DROP INDEX IF EXISTS actor_name_trgm",
]


def run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run_on_postgres(CREATE), run_on_postgres(DROP)),
    ]
