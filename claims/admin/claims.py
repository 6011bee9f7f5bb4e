import nested_admin
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Prefetch
from django.utils.html import format_html_join

from claims import services
from claims.models import Assessment, Claim, ClaimLink, Source, Statement, StatementSource, Topic
from claims.search import search_claims

from .base import HistoryAdmin
from .duplicates import WarnsOfDuplicates
from .external_reviews import ExternalReviewInline
from .inlines import LoadedChoicesInlineMixin, NestedChildFormSet


class PublishFieldMixin:
    """`is_published` is read-only for those without `publish_permission`."""

    publish_permission = "claims.publish_assessment"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(self.publish_permission):
            fields.append("is_published")
        return fields

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)


# Claims are logged all day: keep each statement row compact.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})}}


class StatementSourceInline(LoadedChoicesInlineMixin, nested_admin.NestedTabularInline):
    """A statement's sources, inside each statement on the claim's page (and
    on the statement's own page): picked by title, publisher or URL, or
    added in place with the "+" (the Add source popup reads the page)."""

    model = StatementSource
    formset = NestedChildFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "how"]
    verbose_name = "source"
    verbose_name_plural = "sources that carry this statement"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__publisher")


class StatementInline(LoadedChoicesInlineMixin, nested_admin.NestedStackedInline):
    model = Statement
    formfield_overrides = COMPACT_TEXT
    extra = 0
    autocomplete_fields = ["actor"]
    fields = [("actor", "stance", "stated_on"), "summary", ("quote", "quote_language"), "translation"]
    inlines = [StatementSourceInline]
    show_change_link = True  # the statement's own history and revert
    verbose_name = "statement"
    verbose_name_plural = "statements: who says what, and where"

    def get_queryset(self, request):
        # Each statement's sources come in one query for all statements
        # (NestedChildFormSet reads them), their names with them.
        sources = StatementSource.objects.select_related("source__publisher")
        return (
            super()
            .get_queryset(request)
            .select_related("actor", "claim")
            .prefetch_related(Prefetch("statement_sources", queryset=sources))
        )


class AssessmentInline(PublishFieldMixin, LoadedChoicesInlineMixin, nested_admin.NestedStackedInline):
    model = Assessment
    formfield_overrides = COMPACT_TEXT
    extra = 0
    autocomplete_fields = ["evidence"]
    fields = [("status", "assessed_at", "is_published"), "rationale", "evidence", "internal_notes", "author"]
    readonly_fields = ["author"]
    verbose_name = "assessment"
    verbose_name_plural = "assessments: the status timeline"

    def get_queryset(self, request):
        evidence = Source.objects.select_related("publisher")
        return (
            super()
            .get_queryset(request)
            .select_related("author", "claim")
            .prefetch_related(Prefetch("evidence", queryset=evidence))
        )


class ClaimLinkInline(LoadedChoicesInlineMixin, nested_admin.NestedTabularInline):
    model = ClaimLink
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]
    fields = ["kind", "to_claim", "note"]
    verbose_name = "link"
    verbose_name_plural = "links to other claims"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_claim", "to_claim")  # both in its name


@admin.register(Claim)
class ClaimAdmin(WarnsOfDuplicates, PublishFieldMixin, nested_admin.NestedModelAdminMixin, HistoryAdmin):
    """One screen per claim: its statements, each with its sources, its
    assessments and links (nested inlines: django-nested-admin)."""

    publish_permission = "claims.publish_claim"
    formfield_overrides = COMPACT_TEXT
    list_display = [
        "short_text",
        "status_label",
        "topic_list",
        "statements",
        "is_published",
        "updated_at",
    ]
    list_display_links = ["short_text"]
    list_filter = ["status", "is_published", "topics"]
    list_select_related = ["place"]
    search_fields = ["text", "context", "slug", "statements__quote", "statements__actor__name"]
    date_hierarchy = "first_claimed_on"
    ordering = ["-updated_at"]
    autocomplete_fields = ["topics", "place"]
    prepopulated_fields = {"slug": ["text"]}
    inlines = [StatementInline, AssessmentInline, ClaimLinkInline, ExternalReviewInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["status", "status_changed_at", "published_at", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["text", "slug", "context", "topics", ("place", "occurred_on", "first_claimed_on")]},
        ),
        ("Publication", {"fields": [("is_published", "published_at"), ("status", "status_changed_at")]}),
        ("For editors only", {"fields": ["internal_notes", ("created_at", "updated_at")]}),
    ]

    class Media:
        css = {"all": ["css/claim-form.css"]}

    def get_queryset(self, request):
        # Counted per shown row (correlated subqueries), not over the whole table.
        return super().get_queryset(request).with_stance_counts().prefetch_related("topics")

    @admin.display(description="claim", ordering="text")
    def short_text(self, obj):
        return str(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    @admin.display(description="statements", ordering="statement_count")
    def statements(self, obj):
        return obj.statement_count

    def get_search_results(self, request, queryset, search_term):
        """The site's one search (indexed full-text and trigram on PostgreSQL)
        over text, context, quotes, translations, actor names and aliases."""
        return search_claims(queryset, search_term, ranked=False), False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, Assessment) and obj.author_id is None:
                obj.author = request.user
            services.check_publication(obj, request.user)
            obj.save()
        formset.save_m2m()

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected claims (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        changed = 0
        for claim in queryset.filter(is_published=not published):
            services.set_claim_published(claim, published, request.user)
            changed += 1
        verb = "Published" if published else "Unpublished"
        self.message_user(request, f"{verb} {changed} claim(s).", messages.SUCCESS)

    def restore(self, request, object_id):
        return services.restore_claim(object_id, user=request.user)


@admin.register(Statement)
class StatementAdmin(nested_admin.NestedModelAdminMixin, HistoryAdmin):
    list_display = ["actor", "stance", "claim", "stated_on"]
    list_filter = ["stance", "stated_on"]
    list_select_related = ["actor", "claim"]
    search_fields = ["quote", "translation", "summary", "actor__name", "claim__text"]
    autocomplete_fields = ["claim", "actor"]
    inlines = [StatementSourceInline]
    fields = [
        ("claim", "actor"),
        ("stance", "stated_on"),
        "summary",
        ("quote", "quote_language"),
        "translation",
    ]


@admin.register(Assessment)
class AssessmentAdmin(PublishFieldMixin, HistoryAdmin):
    list_display = ["claim", "status", "assessed_at", "is_published", "author"]
    list_filter = ["status", "is_published"]
    list_select_related = ["claim", "author"]
    search_fields = ["claim__text", "rationale"]
    autocomplete_fields = ["claim", "evidence"]
    date_hierarchy = "assessed_at"
    readonly_fields = ["author", "evidence_links"]
    fields = [
        "claim",
        ("status", "assessed_at", "is_published"),
        "rationale",
        "evidence",
        "evidence_links",
        "internal_notes",
        "original_rating",
        "author",
    ]
    actions = ["publish", "unpublish"]

    @admin.display(description="evidence links")
    def evidence_links(self, obj):
        sources = obj.evidence.all() if obj.pk else []
        return (
            format_html_join(
                "",
                '<div><a href="{}" rel="noopener">{}</a></div>',
                ((source.url, source.title) for source in sources if source.url),
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected assessments", permissions=["publish"])
    def publish(self, request, queryset):
        for assessment in queryset.filter(is_published=False):
            services.set_assessment_published(assessment, True, request.user)

    @admin.action(description="Unpublish selected assessments", permissions=["publish"])
    def unpublish(self, request, queryset):
        for assessment in queryset.filter(is_published=True):
            services.set_assessment_published(assessment, False, request.user)


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "updated_at"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
