"""Page caching with exact invalidation: pages.py keys each cached page by
its version and answers conditional requests; invalidation.py touches the
parents of every changed row so that the version moves. See pages.py."""

from .invalidation import (
    claims_citing,
    linked_claim_ids,
    touch_actors,
    touch_claims,
    touch_claims_and_speakers,
    touch_topics,
)
from .pages import (
    PageMemory,
    Snapshot,
    Version,
    actor_version,
    cached_page,
    cached_snapshot,
    claim_list_version,
    claim_version,
    page_memory,
    topic_version,
    version_token,
)

__all__ = [
    "PageMemory",
    "Snapshot",
    "Version",
    "actor_version",
    "cached_page",
    "cached_snapshot",
    "claim_list_version",
    "claims_citing",
    "claim_version",
    "linked_claim_ids",
    "page_memory",
    "topic_version",
    "version_token",
    "touch_actors",
    "touch_claims",
    "touch_claims_and_speakers",
    "touch_topics",
]
