"""A vocabulary of search words with a trigram index, for correcting misspelt
searches on PostgreSQL. It replaces the trigram index over whole search
documents, which made every fuzzy search scan long texts."""

from django.db import migrations, models


def run_on_postgres(function):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            function(schema_editor)

    return run


def forwards(schema_editor):
    from claims.search.document import SEARCH_TERMS_SQL

    schema_editor.execute("DROP INDEX IF EXISTS claim_search_document_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS searchterm_word_trgm ON claims_searchterm USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute(SEARCH_TERMS_SQL.format(where=""))


def backwards(schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS searchterm_word_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_document_trgm ON claims_claim "
        "USING gin (search_document gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_claim_published_recent_idx")]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.RunPython(run_on_postgres(forwards), run_on_postgres(backwards)),
    ]
