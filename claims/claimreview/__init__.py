"""schema.org ClaimReview, in and out: one package that the reader pages, the
API and the `import_claimreview` command all call.

- `vocabulary.py`: our statuses as ClaimReview ratings, and other
  fact-checkers' ratings to our nearest status;
- `export.py`: `build_claim_review(claim)`, the JSON-LD of a published claim
  (claim page, API endpoint, JSON Lines export);
- `parse.py`: reading and checking records, every error of each;
- `store.py`: storing checked records set by set (claims, statements,
  sources, and ratings as ExternalReview: never our verdict);
- `importer.py`: `import_claim_reviews(payload, user)`, all or nothing.
"""

from .export import build_claim_review
from .importer import import_claim_reviews
from .parse import ImportFailed

__all__ = ["ImportFailed", "build_claim_review", "import_claim_reviews"]
