from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims"

    def ready(self):
        # Connect the receivers, each module beside the concern it serves.
        from . import deletions, old_parents, status  # noqa: F401
        from .caching import invalidation  # noqa: F401
        from .capture import receivers  # noqa: F401
        from .changes import receivers as change_receivers  # noqa: F401  (after status's)
        from .search import document  # noqa: F401
        from .webhooks import receivers as webhook_receivers  # noqa: F401
