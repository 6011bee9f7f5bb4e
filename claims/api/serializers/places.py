from claims.models import Place

from .base import ApiUrlField, SlugFromMixin, WriteSerializer


class PlaceDetailSerializer(SlugFromMixin, WriteSerializer):
    """A place a claim is about (a claim's `place` is its slug)."""

    api_url = ApiUrlField(Place)

    class Meta:
        model = Place
        fields = [
            "api_url",
            "slug",
            "name",
            "aliases",
            "country",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}}
