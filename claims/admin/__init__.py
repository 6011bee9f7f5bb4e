"""The editors' admin: built for people who log claims all day."""

from . import actors, claims, external_reviews, sources  # noqa: F401  (registers the model admins)
