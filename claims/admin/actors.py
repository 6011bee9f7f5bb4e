from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.models import Actor, ActorAlias, Place

from .base import HistoryAdmin
from .duplicates import WarnsOfDuplicates

RECENT_STATEMENTS_SHOWN = 50


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ["name", "language"]


@admin.register(Actor)
class ActorAdmin(WarnsOfDuplicates, HistoryAdmin):
    list_display = ["name", "kind", "role", "affiliation", "country", "wikidata_id", "updated_at"]
    list_filter = ["kind", "country"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "aliases__name", "role", "wikidata_id"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline]
    readonly_fields = ["statements_made"]
    fields = [
        ("name", "slug"),
        ("kind", "country"),
        "role",
        "affiliation",
        "wikidata_id",
        "description",
        "statements_made",
    ]

    @admin.display(description="statements")
    def statements_made(self, obj):
        if not obj.pk:
            return "—"
        statements = obj.statements.select_related("claim").order_by("-stated_on", "-pk")[
            :RECENT_STATEMENTS_SHOWN
        ]
        rows = format_html_join(
            "",
            '<li>{} · {} · <a href="{}">{}</a></li>',
            (
                (
                    s.stated_on.isoformat(),
                    s.get_stance_display(),
                    reverse("admin:claims_claim_change", args=[s.claim_id]),
                    s.claim,
                )
                for s in statements
            ),
        )
        all_url = reverse("admin:claims_statement_changelist") + f"?actor__id__exact={obj.pk}"
        return format_html('<ul>{}</ul><a href="{}">All statements by {}</a>', rows, all_url, obj.name)


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ["name", "country", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
