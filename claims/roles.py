"""The two newsroom roles and what each may do. A data migration applies this;
rerun `ensure_roles` in a new migration when a model is added."""

EDITABLE_MODELS = [
    "actor",
    "actoralias",
    "source",
    "topic",
    "place",
    "claim",
    "statement",
    "statementsource",
    "claimlink",
]
# Parts of a claim an editor may remove while editing it (inline rows).
EDITOR_DELETABLE_MODELS = ["actoralias", "statement", "statementsource", "claimlink"]

ROLE_PERMISSIONS = {
    "Editor": (
        [f"{action}_{model}" for model in EDITABLE_MODELS for action in ("add", "change", "view")]
        + [f"delete_{model}" for model in EDITOR_DELETABLE_MODELS]
        + ["view_assessment", "view_externalreview", "view_capture", "request_capture"]
    ),
    "Reviewer": (
        [
            f"{action}_{model}"
            for model in [*EDITABLE_MODELS, "assessment", "externalreview"]
            for action in ("add", "change", "delete", "view")
        ]
        + ["publish_claim", "publish_assessment", "view_capture", "request_capture"]
    ),
}


def ensure_roles(apps):
    """Create the groups and give each exactly its permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        # An earlier migration runs this before later models exist: skip theirs.
        models_now = {model._meta.model_name for model in apps.get_app_config("claims").get_models()}
        expected = {codename for codename in codenames if codename.split("_", 1)[1] in models_now}
        missing = expected - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)
