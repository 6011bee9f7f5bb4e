"""The worked example of domain.md and the other claims of the seed article
(Al Jazeera's live report of 3 April 2023), as demo data.

Quotes are only those the article gives. The article gives no URLs, so the
sources have none: titles describe the source, they are not headlines.
Loading is idempotent: every row is found by its natural key first.
"""

import datetime as dt

from django.db import transaction

from .models import (
    Actor,
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    Place,
    Source,
    Statement,
    StatementSource,
    Topic,
)
from .vocabularies import ActorKind, Language, LinkKind, SourceKind, Stance, Status

DAY = dt.date(2023, 4, 3)

TOPICS = {
    "battle-of-bakhmut": ("Battle of Bakhmut", "The fight for the industrial city of Bakhmut in Donetsk region."),
    "finland-nato-accession": ("Finland's NATO accession", "Finland joining the NATO military alliance."),
    "us-aid-to-ukraine": ("US aid to Ukraine", "United States military and financial assistance to Ukraine."),
}

PLACES = {
    "bakhmut": {
        "name": "Bakhmut",
        "aliases": "Бахмут\nArtemivsk\nАртемівськ\nАртёмовск",
        "country": "UA",
        "latitude": "48.595600",
        "longitude": "38.000000",
    },
    "finland": {"name": "Finland", "aliases": "Suomi", "country": "FI"},
}

# slug: (name, kind, role, affiliation slug, country, aliases [(name, language)])
ACTORS = {
    "wagner-group": ("Wagner Group", ActorKind.ARMED_GROUP, "Russian mercenary group", None, "RU",
                     [("ЧВК Вагнер", Language.RUSSIAN), ("PMC Wagner", Language.ENGLISH)]),
    "ukraine-eastern-military-command": ("Ukraine's eastern military command", ActorKind.MILITARY_UNIT,
                                         "Eastern military command of Ukraine's armed forces", None, "UA", []),
    "serhiy-cherevatiy": ("Serhiy Cherevatiy", ActorKind.PERSON,
                          "Spokesperson for Ukraine's eastern military command",
                          "ukraine-eastern-military-command", "UA", [("Сергій Череватий", Language.UKRAINIAN)]),
    "us-national-security-council": ("US National Security Council", ActorKind.GOVERNMENT_BODY,
                                     "United States National Security Council", None, "US", []),
    "john-kirby": ("John Kirby", ActorKind.PERSON, "Spokesperson for the US National Security Council",
                   "us-national-security-council", "US", []),
    "russian-ministry-of-defence": ("Russian Ministry of Defence", ActorKind.GOVERNMENT_BODY,
                                    "Russia's defence ministry", None, "RU",
                                    [("Министерство обороны Российской Федерации", Language.RUSSIAN)]),
    "reuters": ("Reuters", ActorKind.MEDIA_OUTLET, "News agency", None, "", []),
    "al-jazeera": ("Al Jazeera", ActorKind.MEDIA_OUTLET, "News network", None, "QA", []),
    "ria-novosti": ("RIA Novosti", ActorKind.MEDIA_OUTLET, "Russian state news agency", None, "RU",
                    [("РИА Новости", Language.RUSSIAN)]),
    "office-of-the-president-of-finland": ("Office of the President of Finland", ActorKind.GOVERNMENT_BODY,
                                           "The Finnish president's office", None, "FI", []),
    "nato": ("NATO", ActorKind.ORGANISATION, "North Atlantic Treaty Organization", None, "", []),
    "jens-stoltenberg": ("Jens Stoltenberg", ActorKind.PERSON, "NATO Secretary-General", "nato", "NO", []),
    "russian-ministry-of-foreign-affairs": ("Russian Ministry of Foreign Affairs", ActorKind.GOVERNMENT_BODY,
                                            "Russia's foreign ministry", None, "RU", []),
    "alexander-grushko": ("Alexander Grushko", ActorKind.PERSON, "Russian Deputy Foreign Minister",
                          "russian-ministry-of-foreign-affairs", "RU", [("Александр Грушко", Language.RUSSIAN)]),
    "ukrainian-troops-bakhmut": ("Ukrainian troops in Bakhmut", ActorKind.MILITARY_UNIT,
                                 "Ukrainian forces defending Bakhmut", None, "UA", []),
}

# key: (title, publisher slug, kind, language, published on)
SOURCES = {
    "al-jazeera": ("Al Jazeera report on Bakhmut and Finland's NATO accession, 3 April 2023", "al-jazeera",
                   SourceKind.NEWS_REPORT, Language.ENGLISH, DAY),
    "reuters": ("Reuters report of the Bakhmut fighting, 3 April 2023", "reuters",
                SourceKind.NEWS_REPORT, Language.ENGLISH, DAY),
    "wagner-channel": ("Wagner Group's own channel: claim of the Bakhmut town hall's capture", "wagner-group",
                       SourceKind.SOCIAL_POST, Language.RUSSIAN, None),
    "kirby-briefing": ("John Kirby's remarks to reporters, 3 April 2023", "us-national-security-council",
                       SourceKind.BRIEFING_TRANSCRIPT, Language.ENGLISH, DAY),
    "stoltenberg-brussels": ("Jens Stoltenberg's remarks to reporters in Brussels, 3 April 2023", "nato",
                             SourceKind.BRIEFING_TRANSCRIPT, Language.ENGLISH, DAY),
    "finnish-president-statement": ("Statement of the Finnish president's office on NATO membership",
                                    "office-of-the-president-of-finland", SourceKind.OFFICIAL_STATEMENT,
                                    Language.ENGLISH, DAY),
    "ria-grushko": ("RIA Novosti interview with Alexander Grushko", "ria-novosti",
                    SourceKind.NEWS_REPORT, Language.RUSSIAN, DAY),
}

TOWN_HALL = "wagner-captured-bakhmut-city-administration"
COUNTERCLAIM = "russian-forces-very-far-from-capturing-bakhmut"

# slug: claim fields, statements, assessments
CLAIMS = {
    TOWN_HALL: {
        "text": "The Wagner Group captured Bakhmut's city administration building.",
        "context": "On 2-3 April 2023 the Wagner Group said it had taken Bakhmut's town hall and raised the "
        "Russian flag there. Fighting raged around the city administration building the same day. "
        "Most of Bakhmut's prewar population of approximately 70,000 fled the town in 2022.",
        "topics": ["battle-of-bakhmut"],
        "place": "bakhmut",
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "wagner-group", "stance": Stance.ASSERTS,
             "summary": "Claimed it had captured the city's town hall and raised the Russian flag.",
             "sources": [("wagner-channel", "on its own channel"), ("reuters", "reported by Reuters"),
                         ("al-jazeera", "reported by Al Jazeera")]},
            {"actor": "serhiy-cherevatiy", "stance": Stance.DENIES,
             "summary": "Said Russian forces were very far from capturing Bakhmut.",
             "quote": "Bakhmut is Ukrainian and they have not captured anything and are very far from "
             "doing that, to put it mildly",
             "quote_language": Language.ENGLISH,
             "sources": [("reuters", "told Reuters by phone"), ("al-jazeera", "quoting Reuters")]},
            {"actor": "john-kirby", "stance": Stance.DENIES,
             "summary": "Ukrainians have not been repulsed from the city; the battle for Bakhmut is not over.",
             "sources": [("kirby-briefing", "told reporters"), ("al-jazeera", "reported by Al Jazeera")]},
            {"actor": "russian-ministry-of-defence", "stance": Stance.DECLINES,
             "summary": "Has not confirmed it has full control of the city.",
             "sources": [("al-jazeera", "absence of confirmation, as reported")]},
        ],
        "assessments": [
            (Status.DISPUTED, "Wagner says it holds the town hall; Ukraine's eastern command and the US "
             "National Security Council say Ukrainian forces have not been pushed out of the city, and "
             "Russia's defence ministry has not confirmed control. No independent confirmation.",
             ["reuters", "kirby-briefing", "al-jazeera"]),
        ],
    },
    COUNTERCLAIM: {
        "text": "Russian forces are very far from capturing Bakhmut.",
        "context": "Ukraine's answer to Wagner's claim of the town hall's capture.",
        "topics": ["battle-of-bakhmut"],
        "place": "bakhmut",
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "serhiy-cherevatiy", "stance": Stance.ASSERTS,
             "quote": "Bakhmut is Ukrainian and they have not captured anything and are very far from "
             "doing that, to put it mildly",
             "quote_language": Language.ENGLISH,
             "sources": [("reuters", "told Reuters by phone"), ("al-jazeera", "quoting Reuters")]},
            {"actor": "john-kirby", "stance": Stance.QUALIFIES,
             "summary": "Ukrainians have not been repulsed from the city.",
             "sources": [("kirby-briefing", "told reporters")]},
        ],
        "assessments": [
            (Status.DISPUTED, "Contradicted by the Wagner Group's claim to hold the city administration "
             "building; fighting continued around it.", ["reuters", "al-jazeera"]),
        ],
    },
    "finland-becomes-natos-31st-member": {
        "text": "Finland becomes NATO's 31st member on 4 April 2023.",
        "context": "Finland has a 1,300 km (810-mile) border with Russia, which roughly doubles the "
        "alliance's frontier with Russia.",
        "topics": ["finland-nato-accession"],
        "place": "finland",
        "occurred_on": dt.date(2023, 4, 4),
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "office-of-the-president-of-finland", "stance": Stance.ASSERTS,
             "summary": "Finland will officially become a member of NATO on Tuesday.",
             "sources": [("finnish-president-statement", "statement"), ("al-jazeera", "reported by Al Jazeera")]},
            {"actor": "jens-stoltenberg", "stance": Stance.ASSERTS,
             "quote": "tomorrow we will welcome Finland as the 31st member",
             "quote_language": Language.ENGLISH,
             "sources": [("stoltenberg-brussels", "told reporters in Brussels"),
                         ("al-jazeera", "reported by Al Jazeera")]},
        ],
        "assessments": [
            (Status.UNVERIFIED, "Announced by Finland's president's office and NATO's secretary-general for "
             "the next day.", ["finnish-president-statement", "stoltenberg-brussels"]),
            (Status.CONFIRMED, "Finland joined NATO on 4 April 2023, as announced.",
             ["finnish-president-statement", "stoltenberg-brussels"], dt.date(2023, 4, 4)),
        ],
    },
    "russia-to-strengthen-forces-west-northwest": {
        "text": "Russia will strengthen its military potential in the western and northwestern direction "
        "in response to Finland joining NATO.",
        "context": "Said by Russia's deputy foreign minister as Finland joined the alliance.",
        "topics": ["finland-nato-accession"],
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "alexander-grushko", "stance": Stance.ASSERTS,
             "quote": "We will strengthen our military potential in the western and northwestern direction. "
             "In the event that the forces and resources of other NATO members are deployed in Finland, "
             "we will take additional steps to reliably ensure Russia's military security.",
             "quote_language": Language.ENGLISH,
             "sources": [("ria-grushko", "told RIA Novosti news agency"), ("al-jazeera", "reported by Al Jazeera")]},
        ],
        "assessments": [
            (Status.UNVERIFIED, "A statement of intent; nothing to check yet.", ["ria-grushko"]),
        ],
    },
    "civilians-remaining-in-bakhmut": {
        "text": "Between 1,000 and 5,000 civilians remain in Bakhmut.",
        "context": "Bakhmut's prewar population was approximately 70,000; most fled in 2022.",
        "topics": ["battle-of-bakhmut"],
        "place": "bakhmut",
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "ukrainian-troops-bakhmut", "stance": Stance.QUALIFIES,
             "summary": "Say it is hard to say how many civilians still remain, with estimates ranging "
             "from 1,000 to 5,000.",
             "sources": [("al-jazeera", "reported by Al Jazeera")]},
        ],
        "assessments": [
            (Status.UNVERIFIABLE, "Only estimates from one side of the fighting; no count is possible in an "
             "active battle.", ["al-jazeera"]),
        ],
    },
    "us-assistance-package-this-week": {
        "text": "The United States will announce an additional assistance package for Ukraine this week.",
        "context": "Said at the White House on Monday 3 April 2023.",
        "topics": ["us-aid-to-ukraine"],
        "first_claimed_on": DAY,
        "statements": [
            {"actor": "john-kirby", "stance": Stance.ASSERTS,
             "summary": "An additional assistance package for Ukraine could be expected this week.",
             "sources": [("kirby-briefing", "told reporters"), ("al-jazeera", "reported by Al Jazeera")]},
        ],
        "assessments": [
            (Status.UNVERIFIED, "Announced as expected; not yet delivered on 3 April 2023.", ["kirby-briefing"]),
        ],
    },
}


@transaction.atomic
def load_demo():
    """Create what is missing of the demo data; change nothing that exists."""
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
        for slug, (name, description) in TOPICS.items()
    }
    places = {
        slug: Place.objects.get_or_create(slug=slug, defaults=fields)[0] for slug, fields in PLACES.items()
    }
    actors = {}
    for slug, (name, kind, role, affiliation, country, aliases) in ACTORS.items():
        actor, _ = Actor.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "role": role,
                "country": country,
                "affiliation": actors.get(affiliation),
            },
        )
        actors[slug] = actor
        for alias, language in aliases:
            ActorAlias.objects.get_or_create(actor=actor, name=alias, defaults={"language": language})
    sources = {}
    for key, (title, publisher, kind, language, published_on) in SOURCES.items():
        sources[key], _ = Source.objects.get_or_create(
            title=title,
            publisher=actors[publisher],
            defaults={"kind": kind, "language": language, "published_on": published_on},
        )

    claims = {}
    for slug, spec in CLAIMS.items():
        claim, created = Claim.objects.get_or_create(
            slug=slug,
            defaults={
                "text": spec["text"],
                "context": spec["context"],
                "place": places.get(spec.get("place")),
                "occurred_on": spec.get("occurred_on"),
                "first_claimed_on": spec.get("first_claimed_on"),
                "is_published": True,
            },
        )
        claims[slug] = claim
        if created:
            claim.topics.set([topics[t] for t in spec["topics"]])
        for item in spec["statements"]:
            statement, _ = Statement.objects.get_or_create(
                claim=claim,
                actor=actors[item["actor"]],
                stance=item["stance"],
                stated_on=item.get("stated_on", DAY),
                defaults={
                    "summary": item.get("summary", ""),
                    "quote": item.get("quote", ""),
                    "quote_language": item.get("quote_language", ""),
                },
            )
            for source_key, how in item["sources"]:
                StatementSource.objects.get_or_create(
                    statement=statement, source=sources[source_key], defaults={"how": how}
                )
        for status, rationale, evidence, *day in spec["assessments"]:
            assessed_on = day[0] if day else DAY
            assessment, created = Assessment.objects.get_or_create(
                claim=claim,
                status=status,
                assessed_at=dt.datetime.combine(assessed_on, dt.time(18, 0), tzinfo=dt.UTC),
                defaults={"rationale": rationale, "is_published": True},
            )
            if created:
                assessment.evidence.set([sources[key] for key in evidence])

    ClaimLink.objects.get_or_create(
        from_claim=claims[COUNTERCLAIM],
        to_claim=claims[TOWN_HALL],
        kind=LinkKind.CONTRADICTS,
        defaults={"note": "Ukraine's answer to Wagner's claim."},
    )
    return claims
