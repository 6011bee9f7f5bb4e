"""Search: the site's one claim search (query.py: indexed full text and
trigram on PostgreSQL, every word on SQLite), used by the reader list, the API
and the admin; and each claim's search text kept in step (document.py)."""

from .query import MAX_QUERY_LENGTH, clean_query, corrected_query, search_claims

__all__ = ["MAX_QUERY_LENGTH", "clean_query", "corrected_query", "search_claims"]
