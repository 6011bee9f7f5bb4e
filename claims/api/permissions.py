"""Who may do what through the API: the same roles as the admin (claims/roles.py).

Reading is open to everyone; what a reader sees is narrowed by the views
(`can_see_drafts`). Writing needs an authenticated user with the Django model
permission for the action: an Editor adds and changes claims, statements,
sources, actors, topics and links; only a Reviewer adds assessments, deletes
most rows and publishes (services.set_claim_published / set_assessment_published
check that again).
"""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


def can_see_drafts(user, model_name="claim"):
    """Editors and Reviewers see drafts and internal notes; readers never do."""
    return bool(user and user.is_authenticated and user.has_perm(f"claims.view_{model_name}"))


class RoleModelPermissions(DjangoModelPermissions):
    """Reads for all; writes by model permission. A method the endpoint does not
    have is a 405 for everyone, whatever their role."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True
        return super().has_permission(request, view)


class CanImportReviews(RoleModelPermissions):
    """Importing ClaimReview publishes claims and stores other organisations' ratings: Reviewers."""

    required = [
        "claims.add_claim",
        "claims.publish_claim",
        "claims.add_statement",
        "claims.add_source",
        "claims.add_actor",
        "claims.add_assessment",
        "claims.publish_assessment",
    ]

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(self.required))


class CanRequestCapture(RoleModelPermissions):
    """Asking for a source to be captured again makes the server fetch its URL:
    users with `claims.request_capture` (Editors and Reviewers)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("claims.request_capture"))
