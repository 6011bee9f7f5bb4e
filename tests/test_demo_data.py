from claims.demo import TOWN_HALL, load_demo
from claims.models import Actor, Assessment, Claim, Source, Statement
from claims.vocabularies import Stance, Status


def test_worked_example_has_the_four_statements_and_is_disputed(town_hall):
    stances = {s.actor.name: s.stance for s in town_hall.statements.select_related("actor")}
    assert stances == {
        "Wagner Group": Stance.ASSERTS,
        "Serhiy Cherevatiy": Stance.DENIES,
        "John Kirby": Stance.DENIES,
        "Russian Ministry of Defence": Stance.DECLINES,
    }
    town_hall.refresh_from_db()
    assert town_hall.status == Status.DISPUTED
    assert town_hall.is_published


def test_cherevatiy_quote_is_the_articles_words(town_hall):
    quote = town_hall.statements.get(actor__slug="serhiy-cherevatiy").quote
    assert quote == (
        "Bakhmut is Ukrainian and they have not captured anything and are very far from doing that, "
        "to put it mildly"
    )
    how = town_hall.statements.get(actor__slug="serhiy-cherevatiy").statement_sources.values_list(
        "how", flat=True
    )
    assert "told Reuters by phone" in how


def test_load_demo_twice_creates_nothing_new(demo):
    models = [Actor, Source, Claim, Statement, Assessment, Claim.history.model, Statement.history.model]
    before = {model: model.objects.count() for model in models}
    load_demo()
    assert {model: model.objects.count() for model in models} == before


def test_demo_sources_invent_no_urls(demo):
    assert not Source.objects.exclude(url="").exists()


def test_demo_covers_the_seed_articles_other_claims(demo):
    assert len(demo) == 6
    assert demo[TOWN_HALL].links_in.get().from_claim.text.startswith("Russian forces are very far")
