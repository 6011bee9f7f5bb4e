"""Our statuses in ClaimReview's words and back.

Out (export): each status's 1-5 rating and name (`STATUS_RATING`, with the
domain's vocabularies). In (import): other fact-checkers' words and numbers
for their verdicts, to our nearest status.
"""

from claims.vocabularies import STATUS_RATING, Status

__all__ = ["RATING_NAMES", "RATING_VALUES", "STATUS_RATING"]

# Other fact-checkers' words for their verdicts, lower-cased, to our nearest
# status: what an adopted assessment would start from (`suggested_status`).
RATING_NAMES = {
    **{status.value: status for status in Status},
    **{status.label.lower(): status for status in Status},
    "false": Status.REFUTED,
    "pants on fire": Status.REFUTED,
    "fake": Status.REFUTED,
    "incorrect": Status.REFUTED,
    "wrong": Status.REFUTED,
    "true": Status.CONFIRMED,
    "correct": Status.CONFIRMED,
    "accurate": Status.CONFIRMED,
    "mostly false": Status.MISLEADING,
    "missing context": Status.MISLEADING,
    "out of context": Status.MISLEADING,
    "half true": Status.MIXED,
    "mostly true": Status.MIXED,
    "partly false": Status.MIXED,
    "partly true": Status.MIXED,
    "unproven": Status.UNVERIFIABLE,
    "unsupported": Status.UNVERIFIABLE,
}
# ratingValue on a 1 (worst) to 5 (best) scale, where it is all we have.
RATING_VALUES = {1: Status.REFUTED, 2: Status.MISLEADING, 5: Status.CONFIRMED}
