"""Full-text search over claims: one function that pages, the API and the
admin share.

On PostgreSQL: web-search syntax against a stored, GIN-indexed search vector
(English stemming, so "Bakhmut" finds "Bakhmut's"; claim text weighted above
quotes and names), ranked with `SearchRank`. A word that no claim contains is
corrected against a trigram-indexed vocabulary of the words in
claims ("Bakhmt" → "bakhmut") before it runs. Ranking is bounded: the
RANK_WINDOW most recently updated matches are ranked, so a common word costs
the same at a million claims as at a thousand, and in tiers of RANK_TIER (the
100 most recent matches, best first, then the next 100, ...), so a page ranks
only the tiers it shows: page 1 ranks 100 matches, not 500, and every page
is a slice of the same order.

On SQLite: every word must appear in the claim's search text.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F, Subquery, Value, Window
from django.db.models.functions import RowNumber

MAX_QUERY_LENGTH = 200
RANK_WINDOW = 500
RANK_TIER = 100
MAX_CORRECTED_WORDS = 8
WEB_SEARCH_OPERATORS = {"or", "and"}


def clean_query(q):
    return " ".join((q or "").split())[:MAX_QUERY_LENGTH]


def search_claims(queryset, q, *, ranked=True, rows=None):
    """Filter `queryset` to claims matching `q`, best match first (with a `rank`
    annotation). An empty query returns the queryset unchanged. `ranked=False`
    only filters (every match, no window), for callers that order the matches
    themselves. `rows`: the caller reads only the first `rows` results (a
    page and the row after it), so only the tiers that hold them are ranked;
    the order is the same whatever `rows` is."""
    q = clean_query(q)
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, q, ranked, rank_window(rows))
    for word in q.lower().split():
        word = word.strip("\"'")
        if word and word not in WEB_SEARCH_OPERATORS and not word.startswith("-"):
            queryset = queryset.filter(search_document__contains=word)
    if not ranked:
        return queryset
    return queryset.annotate(rank=Value(1.0)).order_by("-updated_at", "-pk")


def rank_window(rows):
    """How many of the most recent matches to rank for the first `rows` results:
    whole tiers, at most RANK_WINDOW."""
    if rows is None:
        return RANK_WINDOW
    tiers = -(-max(rows, 1) // RANK_TIER)
    return min(tiers * RANK_TIER, RANK_WINDOW)


def _search_postgresql(queryset, q, ranked, size):
    # Correct first, word by word against the vocabulary (indexed look-ups):
    # asking the full-text index whether the query matches nothing is a scan
    # of the table when the planner guesses wrong about a word it never saw.
    query = SearchQuery(corrected_query(q), search_type="websearch", config="english")
    matches = queryset.filter(search_vector=query)
    if not ranked:
        return matches
    recent = ["-updated_at", "-pk"]
    window = matches.order_by(*recent).values("pk")[:size]
    # The tier is a row's place among the window's matches by recency, in
    # hundreds: computed over the rows the outer query keeps, so a filter
    # applied after the search (status, topic) tiers what it keeps.
    position = Window(RowNumber(), order_by=[F("updated_at").desc(), F("pk").desc()])
    return (
        queryset.filter(pk__in=Subquery(window))
        .annotate(rank=SearchRank(F("search_vector"), query), rank_tier=(position - 1) / RANK_TIER)
        .order_by("rank_tier", "-rank", *recent)
    )


def corrected_query(q):
    """`q` with each word that no claim contains replaced by the most similar
    word that some claim does contain (trigram similarity), where there is one."""
    from claims.models import SearchTerm

    words = re.findall(r"[^\W_]+", q.lower())[:MAX_CORRECTED_WORDS]
    corrected = q.lower()
    for word in words:
        if len(word) < 3 or word in WEB_SEARCH_OPERATORS or SearchTerm.objects.filter(word=word).exists():
            continue
        best = (
            SearchTerm.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
        if best:
            corrected = re.sub(rf"\b{re.escape(word)}\b", best, corrected)
    return corrected
