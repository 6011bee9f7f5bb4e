"""schema.org ClaimReview, in and out: one package that the reader pages, the
API and the `import_claimreview` command all call.

- `vocabulary.py`: our statuses as ClaimReview ratings, and other
  fact-checkers' ratings to our nearest status;
- `export.py`: `build_claim_review(claim)`, the JSON-LD of a published claim
  (API endpoint, JSON Lines export), and `claim_review(...)` under it, which
  the claim page calls with the rows it read;
- `parse.py`: reading and checking records, every error of each;
- `store.py`: storing checked records set by set (claims, statements,
  sources, and ratings as ExternalReview: never our verdict);
- `importer.py`: `import_claim_reviews(payload, user)`, all or nothing.
"""

from .export import Said, build_claim_review, claim_review
from .importer import import_claim_reviews
from .parse import ImportFailed

__all__ = ["ImportFailed", "Said", "build_claim_review", "claim_review", "import_claim_reviews"]
