"""The rows of a claim list (search results, the claim list, the home page's
lists, a topic's claims) are built in Python (`{% claim_rows %}`): they write
exactly what the template included per row wrote before."""

import pytest
from django.template import Context, Template

from claims.models import Claim
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
    row = Template(OLD_ROW)
    return "".join(row.render(Context({"claim": claim})) for claim in claims)


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
    claims = list(search_claims(Claim.objects.published(), "convoy").for_list())
    assert len(claims) == 3
    assert new_rows(claims) == old_rows(claims)
    page = client.get("/claims/", {"q": "convoy"}).content.decode()
    assert f'<ul class="claim-rows claim-rows--list">{old_rows(claims)}</ul>' in page


def test_rows_without_stance_counts_and_every_list_page_have_the_same_rows(varied_claims, demo, client):
    plain = list(Claim.objects.published().prefetch_related("topics").order_by("pk"))
    assert new_rows(plain) == old_rows(plain)
    listed = list(Claim.objects.recently_updated().for_list()[:25])
    assert old_rows(listed) in client.get("/claims/").content.decode()
    assert old_rows(listed[:5]) in client.get("/").content.decode()
    escaped = Claim.objects.filter(slug="escaped").for_list()
    assert (
        old_rows(escaped)
        in client.get(escaped[0].topics.get(name="War & peace").get_absolute_url()).content.decode()
    )
