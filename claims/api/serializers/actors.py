"""Actors and their aliases."""

from rest_framework import serializers

from claims.models import Actor, ActorAlias

from .base import (
    ApiUrlField,
    ChildRowSerializer,
    PageUrlField,
    RowBySlugField,
    SlugFromMixin,
    WriteSerializer,
)


class ActorAliasSerializer(ChildRowSerializer):
    class Meta:
        model = ActorAlias
        fields = ["name", "language"]


class ActorListSerializer(serializers.ModelSerializer):
    api_url = ApiUrlField(Actor)

    class Meta:
        model = Actor
        fields = ["api_url", "slug", "name", "kind", "role", "country", "updated_at"]


class ActorSerializer(SlugFromMixin, WriteSerializer):
    api_url = ApiUrlField(Actor)
    page_url = PageUrlField()
    affiliation = RowBySlugField(
        slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True
    )
    aliases = ActorAliasSerializer(many=True, required=False, help_text="Replaces all aliases when given.")

    class Meta:
        model = Actor
        fields = [
            "api_url",
            "slug",
            "name",
            "kind",
            "role",
            "affiliation",
            "country",
            "wikidata_id",
            "description",
            "aliases",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}

    def validate_aliases(self, aliases):
        names = [alias["name"] for alias in aliases]
        if len(names) != len(set(names)):
            raise serializers.ValidationError("Each alias may be given once.")
        return aliases

    def save_related(self, instance, related):
        aliases = related.pop("aliases", None)
        if aliases is not None:
            self.replace_children(
                instance.aliases.all(),
                {alias["name"]: alias.get("language", "") for alias in aliases},
                key="name",
                field="language",
                make=lambda name, language: ActorAlias(actor=instance, name=name, language=language),
            )
        super().save_related(instance, related)
