"""Webhooks: API users subscribe a URL to claim events; the public change
stream (`Change`, claims/changes/) is turned into deliveries for each
subscription (`dispatch.py`), sent from the task queue one subscription at a
time in stream order, signed in the Standard Webhooks form (`signing.py`),
retried with backoff for more than a day, then the subscription is disabled
with its reason (`delivery.py`). Only what readers can see is in the stream,
so only published changes are announced (`events.py`).

    subscription = subscribe(user, "https://example.org/hook", ["claim.published"])
    dispatch_changes.enqueue()        # what changes_recorded starts, once committed
"""
