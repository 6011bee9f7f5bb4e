"""From the public change stream to webhook events.

A change to a claim is an event of its own kind (`claim.published`,
`claim.status_changed`, `claim.changed`, `claim.removed`); a change to a
claim's statements, assessments or links is `claim.changed` of that claim.
The stream holds only what readers can see, so nothing unpublished is
announced; the payload says no more than the stream does.
"""

from django.conf import settings

from claims.links import slug_url
from claims.vocabularies import ChangeKind, ChangeSubject, WebhookEvent

CLAIM_EVENTS = {
    ChangeKind.PUBLISHED: WebhookEvent.CLAIM_PUBLISHED,
    ChangeKind.STATUS_CHANGED: WebhookEvent.CLAIM_STATUS_CHANGED,
    ChangeKind.CHANGED: WebhookEvent.CLAIM_CHANGED,
    ChangeKind.REMOVED: WebhookEvent.CLAIM_REMOVED,
}


def event_type(change):
    if change.subject == ChangeSubject.CLAIM:
        return CLAIM_EVENTS[change.kind]
    return WebhookEvent.CLAIM_CHANGED


def payload(change):
    """The message body: Standard Webhooks' `type`, `timestamp`, `data`."""
    kind = event_type(change)
    removed = kind == WebhookEvent.CLAIM_REMOVED
    return {
        "type": str(kind),
        "timestamp": change.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "claim": change.claim_slug,
            # A removed claim has no address: the API answers 404 for it.
            "url": None if removed else settings.SITE_URL + slug_url("api:claim-detail", change.claim_slug),
            "subject": change.subject,
            "status": change.status or None,
            "previous_status": change.previous_status or None,
            "position": change.position,
        },
    }
