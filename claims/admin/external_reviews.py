"""Other organisations' ratings, as ClaimReview imports stored them: read-only
(imported data), deletable by Reviewers, and adoptable as a draft assessment
of ours (services.adopt_external_review)."""

import nested_admin
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from claims import services
from claims.models import ExternalReview

from .base import HistoryAdmin


def _link(url):
    return format_html('<a href="{}" rel="noopener nofollow">{}</a>', url, url) if url else "—"


def _adopted_link(review):
    if review.adopted_as_id is None:
        return "—"
    url = reverse("admin:claims_assessment_change", args=[review.adopted_as_id])
    state = "published" if review.adopted_as.is_published else "draft"
    return format_html('<a href="{}">Assessment #{}</a> ({})', url, review.adopted_as_id, state)


class AdoptedFilter(admin.SimpleListFilter):
    title = "adopted"
    parameter_name = "adopted"

    def lookups(self, request, model_admin):
        return [("yes", "Adopted as our assessment"), ("no", "Not adopted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(adopted_as__isnull=False)
        if self.value() == "no":
            return queryset.filter(adopted_as__isnull=True)
        return queryset


class ImportedRatingMixin:
    """Imported data: nobody adds or edits a rating by hand (Reviewers may
    delete one); both views link their review and what we adopted."""

    @admin.display(description="their review")
    def their_review(self, obj):
        return _link(obj.review_url)

    @admin.display(description="adopted as")
    def adopted(self, obj):
        return _adopted_link(obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExternalReview)
class ExternalReviewAdmin(ImportedRatingMixin, HistoryAdmin):
    list_display = [
        "reviewer_name",
        "rating",
        "suggested_status",
        "claim",
        "reviewed_on",
        "adopted",
        "imported_at",
    ]
    list_filter = ["suggested_status", AdoptedFilter, "reviewed_on"]
    list_select_related = ["claim", "adopted_as"]
    search_fields = ["reviewer_name", "rating", "review_url", "claim__text"]
    date_hierarchy = "reviewed_on"
    ordering = ["-reviewed_on", "-pk"]
    actions = ["adopt"]
    fields = [
        "claim",
        ("reviewer_name", "reviewer_site"),
        ("rating", "rating_value", "suggested_status"),
        ("their_review", "reviewed_on"),
        ("imported_at", "imported_by"),
        "adopted",
    ]
    readonly_fields = [
        *("claim", "reviewer_name", "reviewer_site", "rating", "rating_value", "suggested_status"),
        *("their_review", "reviewed_on", "imported_at", "imported_by", "adopted"),
    ]

    @admin.display(description="rater's site")
    def reviewer_site(self, obj):
        return _link(obj.reviewer_url)

    def has_adopt_permission(self, request):
        return services.can_assess(request.user)

    @admin.action(description="Adopt as our assessment (draft)", permissions=["adopt"])
    def adopt(self, request, queryset):
        for review in queryset.select_related("claim"):
            try:
                assessment = services.adopt_external_review(review, request.user)
            except (PermissionDenied, ValidationError) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, message, messages.ERROR)
                continue
            url = reverse("admin:claims_assessment_change", args=[assessment.pk])
            self.message_user(
                request,
                format_html(
                    'Adopted {}\'s rating “{}” as <a href="{}">a draft assessment</a> of “{}”: '
                    "our status changes when a Reviewer publishes it.",
                    review.reviewer_name,
                    review.rating,
                    url,
                    review.claim,
                ),
                messages.SUCCESS,
            )


class ExternalReviewInline(ImportedRatingMixin, nested_admin.NestedTabularInline):
    """The claim's ratings elsewhere, read-only, on the claim's admin page."""

    model = ExternalReview
    extra = 0
    can_delete = False
    show_change_link = True  # adopt from the list of external reviews
    fields = ["reviewer_name", "rating", "suggested_status", "reviewed_on", "their_review", "adopted"]
    readonly_fields = fields
    verbose_name = "rating elsewhere"
    verbose_name_plural = "rated elsewhere: other organisations' ratings"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("adopted_as")
