"""Closed vocabularies of the domain.

Each is a `TextChoices`; the models enforce them with named CheckConstraints
so the database refuses a value that forms and the API would also refuse.
"""

from django.db import models


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT_BODY = "government_body", "Government body"
    MILITARY_UNIT = "military_unit", "Military unit"
    ARMED_GROUP = "armed_group", "Armed group"
    MEDIA_OUTLET = "media_outlet", "Media outlet"


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    SOCIAL_POST = "social_post", "Social media post"
    BRIEFING_TRANSCRIPT = "briefing_transcript", "Briefing transcript"
    VIDEO = "video", "Video"
    IMAGE = "image", "Image"
    DATASET = "dataset", "Dataset"


class Language(models.TextChoices):
    """ISO 639-1 codes of the languages our sources and quotes come in."""

    ENGLISH = "en", "English"
    UKRAINIAN = "uk", "Ukrainian"
    RUSSIAN = "ru", "Russian"
    BELARUSIAN = "be", "Belarusian"
    FINNISH = "fi", "Finnish"
    SWEDISH = "sv", "Swedish"
    POLISH = "pl", "Polish"
    CZECH = "cs", "Czech"
    SLOVAK = "sk", "Slovak"
    GERMAN = "de", "German"
    FRENCH = "fr", "French"
    SPANISH = "es", "Spanish"
    ARABIC = "ar", "Arabic"
    TURKISH = "tr", "Turkish"
    CHINESE = "zh", "Chinese"


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    QUALIFIES = "qualifies", "Qualifies"
    DECLINES = "declines", "Declines to confirm"
    RETRACTS = "retracts", "Retracts"


class Status(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    DISPUTED = "disputed", "Disputed"
    CONFIRMED = "confirmed", "Confirmed"
    REFUTED = "refuted", "Refuted"
    MIXED = "mixed", "Mixed"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


# schema.org ClaimReview `ratingValue` for each status: 1 is worst (false), 5
# best (true). Statuses that say "we cannot tell yet" sit in the middle.
STATUS_RATING = {
    Status.REFUTED: 1,
    Status.MISLEADING: 2,
    Status.MIXED: 3,
    Status.DISPUTED: 3,
    Status.UNVERIFIED: 3,
    Status.UNVERIFIABLE: 3,
    Status.CONFIRMED: 5,
}


class LinkKind(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    SUPPORTS = "supports", "Supports"
    SUPERSEDES = "supersedes", "Supersedes"
    DUPLICATES = "duplicates", "Duplicates"


class CaptureState(models.TextChoices):
    """Where one capture of a source stands: a pending one is filled once,
    then never changes."""

    PENDING = "pending", "Pending"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Failed"


class CaptureTrigger(models.TextChoices):
    """Why a capture was taken."""

    CREATED = "created", "Source logged"
    URL_CHANGED = "url_changed", "URL changed"
    REQUESTED = "requested", "Asked for by an editor"
    CHANGED = "changed", "Page changed since the last capture"


class SourceCaptureState(models.TextChoices):
    """A source's latest capture, kept on the source for lists and filters."""

    NEVER = "never", "Never captured"
    PENDING = "pending", "Capture pending"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Capture failed"


class LinkState(models.TextChoices):
    """What the last link check found at the source's URL."""

    UNCHECKED = "unchecked", "Not checked yet"
    ALIVE = "alive", "Alive"
    CHANGED = "changed", "Changed since captured"
    GONE = "gone", "Gone"


class ChangeKind(models.TextChoices):
    """What happened to a row readers can see: an entry of the change stream."""

    PUBLISHED = "published", "Published"  # became visible to readers (again)
    CHANGED = "changed", "Changed"
    STATUS_CHANGED = "status_changed", "Status changed"  # claims only: a new verdict
    REMOVED = "removed", "Removed"  # unpublished or deleted: a tombstone


class ChangeSubject(models.TextChoices):
    """The public resources the change stream follows, named as in the API."""

    CLAIM = "claim", "Claim"
    STATEMENT = "statement", "Statement"
    ASSESSMENT = "assessment", "Assessment"
    CLAIM_LINK = "claim-link", "Claim link"


def choices_condition(field, choices, *, allow_blank=False):
    """A CheckConstraint condition that keeps `field` inside `choices`."""
    values = list(choices.values)
    if allow_blank:
        values.append("")
    return models.Q(**{f"{field}__in": values})


class WebhookEvent(models.TextChoices):
    """What a webhook subscription may ask to hear about (claims/webhooks/):
    a claim's own changes, and changes to its statements, assessments and
    links, which are announced as `claim.changed` of their claim."""

    CLAIM_PUBLISHED = "claim.published", "Claim published"
    CLAIM_STATUS_CHANGED = "claim.status_changed", "Claim status changed"
    CLAIM_CHANGED = "claim.changed", "Claim changed"
    CLAIM_REMOVED = "claim.removed", "Claim removed"


class DeliveryState(models.TextChoices):
    """A webhook delivery: waiting (first try or a retry), taken by the
    receiver (2xx), or given up after its last try."""

    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
