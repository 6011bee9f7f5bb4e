"""Slugs the API and the ClaimReview importer make when a client gives none."""

from django.utils.text import slugify

SLUG_WORDS_LENGTH = 80


def unique_slug(model, text, *, fallback=None, field="slug"):
    """A slug from `text` that no row of `model` has yet: "finland-joins-nato",
    then "finland-joins-nato-2"."""
    base = slugify(text)[:SLUG_WORDS_LENGTH].rstrip("-")
    if not base:
        base = fallback or model._meta.model_name
    taken = set(model.objects.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
