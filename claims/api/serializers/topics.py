"""Topics."""

from claims.models import Topic

from .base import ApiUrlField, PageUrlField, SlugFromMixin, WriteSerializer


class TopicSerializer(SlugFromMixin, WriteSerializer):
    api_url = ApiUrlField(Topic)
    page_url = PageUrlField()

    class Meta:
        model = Topic
        fields = ["api_url", "slug", "name", "description", "page_url", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}

    def conflicts(self, candidate):
        return [
            *super().conflicts(candidate),
            (Topic.objects.filter(name=candidate.name), "name", "A topic has this name"),
        ]
