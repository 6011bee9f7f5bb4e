"""Near-duplicates of a claim or an actor, for the warnings an editor sees
while typing and again on save (the admin now, the API later).

    similar_claims("Wagner captured the Bakhmut town hall")   # [SimilarClaim, ...], most similar first
    similar_actors("Evgeny Prigozhin")                        # [SimilarActor, ...] by name or alias

On PostgreSQL: trigram similarity (pg_trgm), filtered with the `%` operator
so the GIN trigram indexes (migrations 0002 and 0011) find the candidates at
any size of archive; ranked by similarity above a threshold.

On SQLite (development): shared words. A text's significant words (3 or
more letters, common English words dropped) are looked for in the stored
texts; a bounded window of candidates is ranked by how many words both share
(Dice's coefficient of the two word sets). The cost is bounded by the number
of words asked about and the size of the window, not by the archive.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from claims.models import TEXT_LIMITS, Actor, ActorAlias, Claim

# Trigram similarity from 0 to 1. pg_trgm's `%` uses its own threshold
# (pg_trgm.similarity_threshold, 0.3 by default) to pick candidates from the
# index; ours is applied on top, so it may not be lower than that one.
CLAIM_SIMILARITY = 0.3
ACTOR_SIMILARITY = 0.4
# Shared words (SQLite): Dice's coefficient of the two word sets.
CLAIM_SHARED_WORDS = 0.4
ACTOR_SHARED_WORDS = 0.5
MIN_SHARED_WORDS = {"claim": 2, "actor": 1}

# Shorter than this, a text is not worth comparing: too many false alarms.
MIN_CLAIM_LENGTH = 10
MIN_ACTOR_LENGTH = 4
DEFAULT_LIMIT = 5
# SQLite: at most this many words asked about, and candidates looked at.
MAX_WORDS = 8
CANDIDATE_WINDOW = 200

# Common English words, which say nothing about what a text is about.
COMMON_WORDS = """
    about after again against all also and any are because been before being between both but can
    could did does doing down during each few for from further had has have having her here hers
    him his how into its itself just more most not now off once only other our out over own same
    she should some such than that the their them then there these they this those through too
    under until very was were what when where which while who whom why will with would you your
    said says say
"""
STOP_WORDS = frozenset(COMMON_WORDS.split())
WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class SimilarClaim:
    pk: int
    text: str
    status: str
    status_label: str
    is_published: bool
    admin_url: str
    public_url: str  # "" for a draft: nothing unpublished gets a public address
    similarity: float

    def as_json(self):
        return {
            "id": self.pk,
            "text": self.text,
            "status": self.status,
            "status_label": self.status_label,
            "published": self.is_published,
            "admin_url": self.admin_url,
            "public_url": self.public_url,
            "similarity": round(self.similarity, 2),
        }


@dataclass(frozen=True)
class SimilarActor:
    pk: int
    name: str
    matched: str  # the name or alias that is similar
    kind_label: str
    admin_url: str
    public_url: str
    similarity: float

    def as_json(self):
        return {
            "id": self.pk,
            "name": self.name,
            "matched": self.matched,
            "kind": self.kind_label,
            "admin_url": self.admin_url,
            "public_url": self.public_url,
            "similarity": round(self.similarity, 2),
        }


def clean_text(text, limit):
    return " ".join((text or "").split())[:limit]


def significant_words(text):
    """The words that say what a text is about: 3+ letters, common words dropped."""
    return {word for word in WORD.findall(text.lower()) if word not in STOP_WORDS}


def similar_claims(text, exclude_pk=None, limit=DEFAULT_LIMIT):
    """Claims whose text is close to `text`, most similar first (drafts
    included: editors see them; `exclude_pk` is the claim being edited)."""
    text = clean_text(text, TEXT_LIMITS["claim_text"])
    if len(text) < MIN_CLAIM_LENGTH:
        return []
    claims = Claim.objects.only("pk", "text", "slug", "status", "is_published")
    if exclude_pk is not None:
        claims = claims.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        found = [
            (claim, claim.similarity)
            for claim in claims.filter(text__trigram_similar=text)
            .annotate(similarity=TrigramSimilarity("text", text))
            .filter(similarity__gte=CLAIM_SIMILARITY)
            .order_by("-similarity", "-pk")[:limit]
        ]
    else:
        found = _by_shared_words(claims, "text", text, CLAIM_SHARED_WORDS, MIN_SHARED_WORDS["claim"])[:limit]
    return [
        SimilarClaim(
            pk=claim.pk,
            text=claim.text,
            status=claim.status,
            status_label=claim.get_status_display(),
            is_published=claim.is_published,
            admin_url=reverse("admin:claims_claim_change", args=[claim.pk]),
            public_url=claim.get_absolute_url() if claim.is_published else "",
            similarity=similarity,
        )
        for claim, similarity in found
    ]


def similar_actors(name, exclude_pk=None, limit=DEFAULT_LIMIT):
    """Actors whose name or one of whose aliases is close to `name`, most
    similar first, each once (`exclude_pk` is the actor being edited)."""
    name = clean_text(name, Actor._meta.get_field("name").max_length)
    if len(name) < MIN_ACTOR_LENGTH:
        return []
    actors = Actor.objects.only("pk", "name", "slug", "kind")
    aliases = ActorAlias.objects.select_related("actor").only(
        "name", "actor__name", "actor__slug", "actor__kind"
    )
    if exclude_pk is not None:
        actors = actors.exclude(pk=exclude_pk)
        aliases = aliases.exclude(actor_id=exclude_pk)
    if connection.vendor == "postgresql":
        by_name = [
            (actor, actor.name, actor.similarity)
            for actor in actors.filter(name__trigram_similar=name)
            .annotate(similarity=TrigramSimilarity("name", name))
            .filter(similarity__gte=ACTOR_SIMILARITY)
            .order_by("-similarity", "pk")[:limit]
        ]
        by_alias = [
            (alias.actor, alias.name, alias.similarity)
            for alias in aliases.filter(name__trigram_similar=name)
            .annotate(similarity=TrigramSimilarity("name", name))
            .filter(similarity__gte=ACTOR_SIMILARITY)
            .order_by("-similarity", "pk")[:limit]
        ]
    else:
        min_shared = MIN_SHARED_WORDS["actor"]
        by_name = [
            (actor, actor.name, score)
            for actor, score in _by_shared_words(actors, "name", name, ACTOR_SHARED_WORDS, min_shared)
        ]
        by_alias = [
            (alias.actor, alias.name, score)
            for alias, score in _by_shared_words(aliases, "name", name, ACTOR_SHARED_WORDS, min_shared)
        ]
    best = {}
    for actor, matched, similarity in [*by_name, *by_alias]:
        if actor.pk not in best or similarity > best[actor.pk][2]:
            best[actor.pk] = (actor, matched, similarity)
    ranked = sorted(best.values(), key=lambda row: (-row[2], row[0].pk))[:limit]
    return [
        SimilarActor(
            pk=actor.pk,
            name=actor.name,
            matched=matched,
            kind_label=actor.get_kind_display(),
            admin_url=reverse("admin:claims_actor_change", args=[actor.pk]),
            public_url=actor.get_absolute_url(),
            similarity=similarity,
        )
        for actor, matched, similarity in ranked
    ]


def _by_shared_words(queryset, field, text, threshold, min_shared):
    """[(row, score)] of rows whose `field` shares enough significant words
    with `text`, best first. One query: the rows containing any of the (at
    most MAX_WORDS, longest first) words, the CANDIDATE_WINDOW most recent."""
    words = significant_words(text)
    if not words:
        return []
    asked = sorted(words, key=lambda word: (-len(word), word))[:MAX_WORDS]
    contains_any = Q()
    for word in asked:
        contains_any |= Q(**{f"{field}__icontains": word})
    candidates = queryset.filter(contains_any).order_by("-pk")[:CANDIDATE_WINDOW]
    scored = []
    for row in candidates:
        theirs = significant_words(getattr(row, field))
        shared = len(words & theirs)
        score = 2 * shared / (len(words) + len(theirs)) if theirs else 0
        if shared >= min(min_shared, len(words)) and score >= threshold:
            scored.append((row, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored
