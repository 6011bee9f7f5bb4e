"""Each claim's search text (and, on PostgreSQL, its search vector and the
vocabulary misspelt queries are corrected against), kept in step with what a
claim is searched by: its text, context, place, statements and their actors'
names and aliases."""

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from claims.batching import batchable
from claims.models import Actor, ActorAlias, Claim, Place, Statement
from claims.old_parents import parents


def compose_search_document(text, context, place_name, place_aliases, statements):
    """The search text from plain values; `statements` yields (summary, quote,
    translation, actor name, [actor alias names]). The data generator shares it."""
    parts = [text, context, place_name, place_aliases]
    for summary, quote, translation, actor_name, alias_names in statements:
        parts += [summary, quote, translation, actor_name, *alias_names]
    return "\n".join(part for part in parts if part).lower()


def search_documents(claim_ids):
    """{claim id: its search text}, read as plain values (five queries, however
    many claims)."""
    claims = Claim.objects.filter(pk__in=claim_ids).values_list(
        "pk", "text", "context", "place__name", "place__aliases"
    )
    statements = {}
    rows = Statement.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "summary", "quote", "translation", "actor_id"
    )
    for claim_id, *row in rows:  # in Statement's order, as the page shows them
        statements.setdefault(claim_id, []).append(row)
    actor_ids = {row[-1] for rows in statements.values() for row in rows}
    names = dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name"))
    aliases = {}
    for actor_id, name in ActorAlias.objects.filter(actor_id__in=actor_ids).values_list("actor_id", "name"):
        aliases.setdefault(actor_id, []).append(name)
    return {
        pk: compose_search_document(
            text,
            context,
            place_name or "",
            place_aliases or "",
            (
                (summary, quote, translation, names[actor_id], aliases.get(actor_id, []))
                for summary, quote, translation, actor_id in statements.get(pk, [])
            ),
        )
        for pk, text, context, place_name, place_aliases in claims
    }


# Both columns in one statement: the vector weighs the claim's own words above
# the rest (as query.py ranks them).
WRITE_SEARCH_SQL = """UPDATE "claims_claim" SET "search_document" = new.document,
        "search_vector" =
            setweight(to_tsvector('english'::regconfig, COALESCE("claims_claim"."text", '')), 'A')
            || setweight(to_tsvector('english'::regconfig, COALESCE(new.document, '')), 'B')
    FROM unnest(%s::bigint[], %s::text[]) AS new(id, document)
    WHERE "claims_claim"."id" = new.id
"""


@batchable
def refresh_search_documents(claim_ids):
    """Rebuild the search text (and, on PostgreSQL, the search vector) of claims."""
    claim_ids = list(claim_ids)
    if not claim_ids:
        return
    documents = search_documents(claim_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(WRITE_SEARCH_SQL, [list(documents), list(documents.values())])
        refresh_search_terms(claim_ids)
    else:
        Claim.objects.bulk_update(
            [Claim(pk=pk, search_document=document) for pk, document in documents.items()],
            ["search_document"],
            batch_size=500,
        )


# The vocabulary only feeds spelling suggestions: a rough split into words is enough.
SEARCH_TERMS_SQL = """
    INSERT INTO claims_searchterm (word)
    SELECT DISTINCT word
    FROM claims_claim, regexp_split_to_table(search_document, '[\\s[:punct:]«»—–]+') AS word
    WHERE length(word) BETWEEN 3 AND 100 {where}
    ON CONFLICT (word) DO NOTHING
"""


def refresh_search_terms(claim_ids=None):
    """Add the words of these claims' search text (of all claims when None) to
    the vocabulary that misspelt searches are corrected against (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if claim_ids is None:
            cursor.execute(SEARCH_TERMS_SQL.format(where=""))
        else:
            cursor.execute(SEARCH_TERMS_SQL.format(where="AND claims_claim.id = ANY(%s)"), [list(claim_ids)])


def claim_ids_for_actors(actor_ids):
    """Claims any of these actors made a statement on."""
    actor_ids = [pk for pk in actor_ids if pk]
    return Statement.objects.filter(actor_id__in=actor_ids).values_list("claim_id", flat=True).distinct()


# --- Receivers: a change to what a claim is searched by ---------------------


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents([instance.pk])


@receiver([post_save, post_delete], sender=Statement)
def statement_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        # The old claim too, when the statement moved to another claim.
        refresh_search_documents([pk for pk in parents(instance, "claim_id") if pk])


@receiver(post_save, sender=Actor)
def actor_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh_search_documents(claim_ids_for_actors([instance.pk]))


@receiver([post_save, post_delete], sender=ActorAlias)
def actor_alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_documents(claim_ids_for_actors(parents(instance, "actor_id")))


@receiver(post_save, sender=Place)
def place_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        refresh_search_documents(instance.claims.values_list("pk", flat=True))
