"""Full-text search over claims: one function that pages and the API share.

On PostgreSQL: web-search syntax against a stored, GIN-indexed search vector
(English stemming, claim text weighted above quotes and names), ranked with
`SearchRank`, plus trigram word similarity so that "Bakhmt" still finds
"Bakhmut". On SQLite: every word must appear in the claim's search text.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 200


def clean_query(q):
    return " ".join((q or "").split())[:MAX_QUERY_LENGTH]


def search_claims(queryset, q, *, ranked=True):
    """Filter `queryset` to claims matching `q`, best match first (with a `rank`
    annotation). An empty query returns the queryset unchanged. `ranked=False`
    only filters, for callers that order the matches themselves."""
    q = clean_query(q)
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        matches = queryset.filter(Q(search_vector=query) | Q(search_document__trigram_word_similar=q.lower()))
        if not ranked:
            return matches
        return matches.annotate(
            rank=Greatest(
                SearchRank(F("search_vector"), query),
                TrigramWordSimilarity(Value(q.lower()), "search_document") * 0.5,
            )
        ).order_by("-rank", "-updated_at", "-pk")
    for word in q.lower().split():
        word = word.strip("\"'")
        if word and word not in {"or", "and"} and not word.startswith("-"):
            queryset = queryset.filter(search_document__contains=word)
    if not ranked:
        return queryset
    return queryset.annotate(rank=Value(1.0)).order_by("-updated_at", "-pk")
