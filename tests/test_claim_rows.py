"""The rows of a claim list (search results, the claim list, the home page's
lists, a topic's claims) are built in Python (`{% claim_rows %}`) from
values() rows (`for_list`, `with_topics`): they write exactly what the
template included per row wrote, from model instances, before."""

import pytest
from django.template import Context, Template

from claims.models import Claim, with_topics
from claims.search import search_claims

from .factories import ClaimFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

# includes/claim_row.html as it was, included once per row.
OLD_ROW = """{% load reader %}<li class="claim-row">
  <div class="claim-row__status">{% status_badge claim.status claim.get_status_display %}</div>
  <div class="claim-row__body">
    <a class="claim-row__text" href="{{ claim.get_absolute_url }}">{{ claim.text }}</a>
    <p class="claim-row__meta">
      {% for topic in claim.topics.all %}<a class="topic-tag" href="{{ topic.get_absolute_url }}">{{ topic.name }}</a> {% endfor %}
      {% if claim.asserts_count is not None %}<span class="sides"><span class="sides__asserts">{{ claim.asserts_count }} asserting</span> <span class="sides__vs">vs</span> <span class="sides__denies">{{ claim.denies_count }} denying</span></span>{% endif %}
      {% if claim.first_claimed_on %}<span class="claim-row__date">First claimed <time datetime="{{ claim.first_claimed_on|iso_day }}">{{ claim.first_claimed_on|day }}</time></span>{% endif %}
    </p>
  </div>
</li>
"""  # noqa: E501


def old_rows(claims):
    """`claims` (a queryset) as the old template wrote them, from model instances."""
    row = Template(OLD_ROW)
    instances = claims.with_stance_counts(total=False).prefetch_related("topics")
    return "".join(row.render(Context({"claim": claim})) for claim in instances)


def new_rows(claims):
    return Template("{% load reader %}{% claim_rows claims %}").render(
        Context({"claim": None, "claims": claims})
    )


@pytest.fixture
def varied_claims(db):
    """Claims with and without topics, statements on each side and a first
    day, and text that needs escaping."""
    war, aid = TopicFactory(name="War & peace"), TopicFactory(name='Aid <"quoted">')
    ClaimFactory(text='Convoy & <b>bold</b> "reached" the city\'s edge.', slug="escaped", topics=[war, aid])
    ClaimFactory(text="Convoy without a first day.", slug="no-day", first_claimed_on=None)
    sided = ClaimFactory(text="Convoy with sides.", slug="sided", topics=[aid])
    StatementFactory(claim=sided)
    StatementFactory(claim=sided, stance="denies")


def test_a_results_page_has_the_same_rows_as_the_template_wrote(varied_claims, demo, client):
    matches = search_claims(Claim.objects.published(), "convoy")
    rows = with_topics(matches.for_list())
    assert len(rows) == 3
    assert [[name for _, name in row["topics"]] for row in rows if row["slug"] == "escaped"] == [
        ['Aid <"quoted">', "War & peace"]
    ]
    assert new_rows(rows) == old_rows(matches)
    page = client.get("/claims/", {"q": "convoy"}).content.decode()
    assert f'<ul class="claim-rows claim-rows--list">{old_rows(matches)}</ul>' in page


def test_every_list_page_has_the_same_rows_as_the_template_wrote(varied_claims, demo, client):
    recent = Claim.objects.recently_updated()
    assert old_rows(recent[:25]) in client.get("/claims/").content.decode()
    home = client.get("/").content.decode()
    assert old_rows(recent[:5]) in home
    assert old_rows(Claim.objects.most_contested()[:5]) in home
    escaped = Claim.objects.filter(slug="escaped")
    topic_page = client.get(escaped[0].topics.get(name="War & peace").get_absolute_url()).content.decode()
    assert old_rows(escaped) in topic_page


def test_a_list_reads_its_topics_in_one_query(varied_claims, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = with_topics(Claim.objects.published().for_list())
    assert len(rows) == 3
    with django_assert_num_queries(0):
        assert with_topics([]) == []


def test_stance_counts_stay_right_when_their_built_once_subqueries_are_reused(varied_claims):
    def counted(claims):
        return {row["slug"]: (row["asserts_count"], row["denies_count"]) for row in claims.for_list()}

    expected = {
        claim.slug: (
            claim.statements.filter(stance="asserts").count(),
            claim.statements.filter(stance="denies").count(),
        )
        for claim in Claim.objects.all()
    }
    assert expected["sided"] == (1, 1)
    for _ in range(2):  # each query copies the same expressions: none may keep another's state
        assert counted(Claim.objects.published().filter(slug="sided")) == {"sided": (1, 1)}
        assert counted(search_claims(Claim.objects.published(), "convoy")) == expected
        assert counted(Claim.objects.most_contested().values("pk")) == {"sided": (1, 1)}
        totals = Claim.objects.with_stance_counts().filter(slug__in=["sided", "no-day"]).order_by("slug")
        assert [(claim.statement_count, claim.asserts_count) for claim in totals] == [(0, 0), (2, 1)]
