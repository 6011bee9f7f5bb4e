"""Links between claims."""

from rest_framework import serializers

from claims.models import Claim, ClaimLink

from .base import ApiUrlField, ClaimRefSerializer, RowBySlugField, WriteSerializer


class ClaimLinkSerializer(WriteSerializer):
    api_url = ApiUrlField(ClaimLink)
    from_claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())
    to_claim = RowBySlugField(slug_field="slug", queryset=Claim.objects.all())

    class Meta:
        model = ClaimLink
        fields = ["api_url", "id", "from_claim", "to_claim", "kind", "note"]
        validators = []

    def conflicts(self, candidate):
        same = ClaimLink.objects.filter(
            from_claim_id=candidate.from_claim_id, to_claim_id=candidate.to_claim_id, kind=candidate.kind
        )
        return [(same, "kind", "These claims are already linked so")]


class LinkInClaimSerializer(serializers.Serializer):
    """A link seen from one claim: `out` means this claim `kind`s the other."""

    kind = serializers.CharField()
    direction = serializers.ChoiceField(choices=["out", "in"])
    claim = ClaimRefSerializer()
    note = serializers.CharField()
