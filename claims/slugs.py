"""Slugs the API and the ClaimReview importer make when a client gives none."""

from django.db.models import Q
from django.utils.text import slugify

SLUG_WORDS_LENGTH = 80
# Prefix lookups per query: SQLite refuses an expression tree deeper than 1,000.
LOOKUPS_PER_QUERY = 200


def slug_base(text, fallback):
    """The text's slug, at most SLUG_WORDS_LENGTH characters, cut between
    words ("…before-it-was-downed", never "…before-it-was-down"); a first word
    longer than that is cut where it must be."""
    slug = slugify(text)
    if len(slug) > SLUG_WORDS_LENGTH:
        cut = slug[: SLUG_WORDS_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_WORDS_LENGTH]
    return slug.strip("-") or fallback


def unique_slugs(model, texts, *, fallback=None, field="slug", wanted=None):
    """One slug per text that no row of `model` has yet, nor another text of
    the list: "finland-joins-nato", then "finland-joins-nato-2". `wanted`, where
    given, holds a slug to use for each text if it is free ("" for none)."""
    fallback = fallback or model._meta.model_name
    bases = [slug_base(text, fallback) for text in texts]
    wanted = wanted or [""] * len(texts)
    # Every stored slug that one of ours could collide with: the wanted slugs
    # exactly, and whatever starts with a base (an index range scan each on
    # PostgreSQL, whose slug indexes have a pattern_ops twin).
    taken = set()
    exact = {slug for slug in wanted if slug}
    prefixes = sorted(set(bases))
    for start in range(0, max(len(prefixes), 1), LOOKUPS_PER_QUERY):
        condition = Q(**{f"{field}__in": exact}) if start == 0 and exact else Q()
        for base in prefixes[start : start + LOOKUPS_PER_QUERY]:
            condition |= Q(**{f"{field}__startswith": base})
        if condition:
            taken.update(model._default_manager.filter(condition).values_list(field, flat=True))
    slugs = []
    for base, slug in zip(bases, wanted, strict=True):
        if not slug or slug in taken:
            slug, number = base, 1
            while slug in taken:
                number += 1
                slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def unique_slug(model, text, *, fallback=None, field="slug"):
    return unique_slugs(model, [text], fallback=fallback, field=field)[0]
