"""A claim set: a claim with its statements (and their actors and sources),
assessments and links, checked as a whole and written in one go.

    plan = plan_claim_set(rows, user, claim=None, slug="the-claim-slug")  # ClaimSetInvalid
    ... save the claim ...
    write_claim_set(plan, claim)

`rows` is the validated structure (field types, choices and lengths already
checked by the door: claims/api/nested.py). `plan_claim_set` resolves every
reference in a fixed number of queries (actors by slug, sources by id or by
normalised URL, linked claims by slug, and on a replace the claim's stored
rows), applies the rules (who may add, change, delete and publish: the one
publication rule, services.publication_refusal, for every assessment) and
refuses duplicates within the set, naming each failing item by its path
(`statements[2].sources[0].url`). `write_claim_set` inserts the new rows in
bulk with their history rows (claims/bulk.py) and does what the receivers
would have done: status, search text, page versions, captures.

A list that is given replaces that list (rows matched by `id`; rows not sent
are deleted); a list left out leaves those rows as they are.
"""

from .plan import ClaimSetInvalid, ClaimSetPlan, plan_claim_set
from .write import write_claim_set

__all__ = ["ClaimSetInvalid", "ClaimSetPlan", "plan_claim_set", "write_claim_set"]
