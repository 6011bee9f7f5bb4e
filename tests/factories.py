import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims.models import (
    Actor,
    ActorAlias,
    Assessment,
    Change,
    Claim,
    ClaimLink,
    ExternalReview,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
    WebhookSubscription,
)
from claims.vocabularies import ActorKind, ChangeKind, ChangeSubject, LinkKind, Stance, Status, WebhookEvent

DAY = dt.date(2023, 4, 3)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="Editor")` makes a staff member of that group."""
        if extracted:
            self.is_staff = True
            self.save()
            self.groups.add(Group.objects.get(name=extracted))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = ActorKind.PERSON
    role = "Spokesperson"


class ActorAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorAlias

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = factory.SubFactory(ActorFactory, kind=ActorKind.MEDIA_OUTLET)
    published_on = DAY


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"Claim number {n} happened.")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    context = "Some context."
    first_claimed_on = DAY
    is_published = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    actor = factory.SubFactory(ActorFactory)
    stance = Stance.ASSERTS
    summary = "Said so."
    stated_on = DAY

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        """`StatementFactory(sources=[s1, s2])`; `sources=1` makes one new source."""
        if not create or not extracted:
            return
        if isinstance(extracted, int):
            extracted = SourceFactory.create_batch(extracted)
        for source in extracted:
            StatementSource.objects.create(statement=self, source=source, how="reported")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    claim = factory.SubFactory(ClaimFactory)
    status = Status.DISPUTED
    rationale = "Both sides say different things."
    is_published = True
    assessed_at = factory.LazyFunction(timezone.now)


class ClaimLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimLink

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    kind = LinkKind.CONTRADICTS


class ExternalReviewFactory(factory.django.DjangoModelFactory):
    """Another organisation's rating of a claim (what a ClaimReview import stores)."""

    class Meta:
        model = ExternalReview

    claim = factory.SubFactory(ClaimFactory)
    reviewer_name = factory.Sequence(lambda n: f"Fact Check {n}")
    reviewer_url = factory.Sequence(lambda n: f"https://factcheck{n}.example.org")
    rating = "False"
    rating_value = 1
    suggested_status = Status.REFUTED
    review_url = factory.Sequence(lambda n: f"https://factcheck{n}.example.org/checks/{n}")
    reviewed_on = DAY


class ChangeFactory(factory.django.DjangoModelFactory):
    """An entry of the public change stream, made directly (the recording is
    claims/changes' own); positions increase from the stream's end."""

    class Meta:
        model = Change

    position = factory.LazyFunction(
        lambda: (Change.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    )
    subject = ChangeSubject.CLAIM
    claim_slug = factory.Sequence(lambda n: f"claim-{n}")
    key = factory.LazyAttribute(lambda c: c.claim_slug if c.subject == ChangeSubject.CLAIM else "1")
    kind = ChangeKind.PUBLISHED
    status = Status.UNVERIFIED


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    owner = factory.SubFactory(UserFactory)
    url = "https://hooks.example.org/counterclaim"
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    events = factory.LazyFunction(lambda: list(WebhookEvent.values))
    position = factory.LazyFunction(
        lambda: Change.objects.order_by("-position").values_list("position", flat=True).first() or 0
    )
