"""The dispatcher hears of committed changes (claims/changes/signals.py)."""

from claims.changes.signals import changes_recorded

from .dispatch import on_changes_recorded

changes_recorded.connect(on_changes_recorded, dispatch_uid="webhooks.dispatch")
