"""Synthetic data at scale for benchmarks: `manage.py generate_data --claims N`.

Deterministic for a seed: every value comes from `random.Random(seed)` and a
fixed base date (3 April 2023), never from the clock, so two runs on empty
databases produce the same rows. Rows go in with COPY on PostgreSQL and batched
`executemany` elsewhere, with ids assigned here (sequences are reset at the end);
no model `save()`, no signals and no history rows: generated data is not an
editor's edit. The derived claim columns (status, status_changed_at,
search_document and, on PostgreSQL, search_vector) are filled in bulk, with the
same text builder the services use.
"""

import bisect
import datetime as dt
import importlib
import itertools
import random
import time

from django.core.management.color import no_style
from django.db import connection, transaction

from claims.models import (
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
from claims.search.document import compose_search_document, refresh_search_terms
from claims.vocabularies import ActorKind, LinkKind, SourceKind, Stance, Status

BASE_DAY = dt.date(2023, 4, 3)
BASE_TIME = dt.datetime(2023, 4, 3, 12, 0, tzinfo=dt.UTC)
BATCH_CLAIMS = 5000
VECTOR_BATCH = 10000
# Below this many new claims, keep the search indexes in place while loading.
DROP_INDEXES_FROM = 20000

# --- Vocabulary ---------------------------------------------------------------
# Place names are built from syllables, each in English, Ukrainian and Russian
# spelling, so that there are thousands of distinct (and so rare) names.
SYLLABLES_START = [
    ("Nov", "Нов", "Нов"),
    ("Bakh", "Бах", "Бах"),
    ("Kram", "Крам", "Крам"),
    ("Zal", "Зал", "Зал"),
    ("Vel", "Вел", "Вел"),
    ("Bil", "Біл", "Бел"),
    ("Chor", "Чор", "Чер"),
    ("Sol", "Сол", "Сол"),
    ("Hor", "Гор", "Гор"),
    ("Mar", "Мар", "Мар"),
    ("Dobr", "Добр", "Добр"),
    ("Lys", "Лис", "Лис"),
    ("Pokr", "Покр", "Покр"),
    ("Kost", "Кост", "Кост"),
    ("Vas", "Вас", "Вас"),
    ("Yar", "Яр", "Яр"),
]
SYLLABLES_MIDDLE = [
    ("o", "о", "о"),
    ("a", "а", "а"),
    ("yi", "ї", "и"),
    ("e", "е", "е"),
    ("ov", "ов", "ов"),
    ("an", "ан", "ан"),
    ("ol", "ол", "ол"),
    ("ir", "ір", "ир"),
]
SYLLABLES_END = [
    ("ivka", "івка", "овка"),
    ("ske", "ське", "ское"),
    ("hrad", "град", "град"),
    ("yne", "ине", "ино"),
    ("ut", "ут", "ут"),
    ("ove", "ове", "ово"),
    ("ytsia", "иця", "ица"),
    ("ets", "ець", "ец"),
    ("iv", "ів", "ов"),
    ("ansk", "анськ", "анск"),
]
FIRST_NAMES = [
    ("Serhiy", "Сергій", "Сергей"),
    ("Oleksandr", "Олександр", "Александр"),
    ("Mykola", "Микола", "Николай"),
    ("Iryna", "Ірина", "Ирина"),
    ("Olena", "Олена", "Елена"),
    ("Dmytro", "Дмитро", "Дмитрий"),
    ("Andriy", "Андрій", "Андрей"),
    ("Natalia", "Наталія", "Наталья"),
    ("Yuriy", "Юрій", "Юрий"),
    ("Viktor", "Віктор", "Виктор"),
    ("Hanna", "Ганна", "Анна"),
    ("Pavlo", "Павло", "Павел"),
    ("Tetiana", "Тетяна", "Татьяна"),
    ("Ihor", "Ігор", "Игорь"),
    ("Maria", "Марія", "Мария"),
    ("Oleh", "Олег", "Олег"),
]
LAST_NAMES = [
    ("Cherevatiy", "Череватий", "Череватый"),
    ("Kovalenko", "Коваленко", "Коваленко"),
    ("Bondarenko", "Бондаренко", "Бондаренко"),
    ("Shevchenko", "Шевченко", "Шевченко"),
    ("Tkachenko", "Ткаченко", "Ткаченко"),
    ("Kravchenko", "Кравченко", "Кравченко"),
    ("Melnyk", "Мельник", "Мельник"),
    ("Polishchuk", "Поліщук", "Полищук"),
    ("Hrytsenko", "Гриценко", "Гриценко"),
    ("Marchenko", "Марченко", "Марченко"),
    ("Savchenko", "Савченко", "Савченко"),
    ("Rudenko", "Руденко", "Руденко"),
    ("Lysenko", "Лисенко", "Лысенко"),
    ("Moroz", "Мороз", "Мороз"),
    ("Petrenko", "Петренко", "Петренко"),
    ("Klymenko", "Клименко", "Клименко"),
]
ROLES = [
    "spokesperson for {org}",
    "commander in {org}",
    "press officer of {org}",
    "adviser to {org}",
    "reporter for {org}",
]
ORG_KINDS = [
    (ActorKind.GOVERNMENT_BODY, "Ministry of Defence", "Міністерство оборони", "Министерство обороны"),
    (ActorKind.MILITARY_UNIT, "Eastern Command", "Східне командування", "Восточное командование"),
    (ActorKind.ARMED_GROUP, "Volunteer Battalion", "Добровольчий батальйон", "Добровольческий батальон"),
    (ActorKind.ORGANISATION, "Civil Monitoring Mission", "Цивільна місія", "Гражданская миссия"),
    (
        ActorKind.GOVERNMENT_BODY,
        "Regional Military Administration",
        "Обласна адміністрація",
        "Областная администрация",
    ),
]
MEDIA = [("Herald", "Вісник", "Вестник"), ("Daily", "Щоденник", "Ежедневник"), ("News", "Новини", "Новости")]
COUNTRIES = ["UA", "RU", "US", "FI", "PL", "GB", "DE", "FR"]
TOPIC_THEMES = [
    "Battle of {place}",
    "Shelling of {place}",
    "Evacuation of {place}",
    "Humanitarian corridor to {place}",
    "Energy attacks on {place}",
    "Reconstruction of {place}",
]
FORCES = [
    "Russian forces",
    "Ukrainian forces",
    "The Wagner Group",
    "Belarusian forces",
    "Volunteer units",
    "Allied air defence forces",
]
BUILDINGS = [
    "city administration building",
    "railway station",
    "water treatment plant",
    "central hospital",
    "power substation",
    "grain terminal",
    "school",
    "bridge over the river",
]
CLAIM_TEMPLATES = [
    "{force} captured the {building} in {place}.",
    "{force} destroyed the {building} in {place} with a missile strike.",
    "{force} withdrew from {place} after heavy fighting.",
    "About {n} civilians remain in {place}.",
    "The {building} in {place} was hit by drones overnight.",
    "{force} crossed the river north of {place}.",
    "An additional assistance package for {place} is expected this week.",
]
QUOTES = {
    # Original quote per language and stance, with the place in that spelling,
    # and our English translation of it.
    "uk": {
        Stance.ASSERTS: (
            "Ми підтверджуємо: {place} під нашим контролем.",
            "We confirm: {place} is under our control.",
        ),
        Stance.DENIES: (
            "{place} — українське місто, вони нічого не захопили.",
            "{place} is a Ukrainian city, they have not captured anything.",
        ),
        Stance.QUALIFIES: (
            "Бої тривають, але ситуація біля {place} складна.",
            "Fighting continues, but the situation near {place} is difficult.",
        ),
        Stance.DECLINES: ("Ми не коментуємо події в {place}.", "We do not comment on events in {place}."),
        Stance.RETRACTS: (
            "Попередня інформація щодо {place} не підтвердилася.",
            "Earlier information about {place} was not confirmed.",
        ),
    },
    "ru": {
        Stance.ASSERTS: (
            "Наши подразделения полностью контролируют {place}.",
            "Our units fully control {place}.",
        ),
        Stance.DENIES: (
            "Информация о {place} не соответствует действительности.",
            "The report about {place} is false.",
        ),
        Stance.QUALIFIES: (
            "Продвижение в районе {place} продолжается, но медленно.",
            "The advance near {place} continues, but slowly.",
        ),
        Stance.DECLINES: (
            "Министерство не подтверждает данные о {place}.",
            "The ministry does not confirm the reports on {place}.",
        ),
        Stance.RETRACTS: ("Сообщение о {place} было ошибочным.", "The report about {place} was mistaken."),
    },
    "en": {
        Stance.ASSERTS: ("Our forces have taken {place} and raised the flag.", ""),
        Stance.DENIES: ("They are very far from capturing {place}, to put it mildly.", ""),
        Stance.QUALIFIES: ("The fighting near {place} is intense, but the line holds.", ""),
        Stance.DECLINES: ("We cannot confirm what is happening in {place} at this time.", ""),
        Stance.RETRACTS: ("We withdraw our earlier statement about {place}.", ""),
    },
}
SUMMARIES = {
    Stance.ASSERTS: "Said the claim about {place} was true.",
    Stance.DENIES: "Denied the reports from {place}.",
    Stance.QUALIFIES: "Said the situation in {place} was more complicated.",
    Stance.DECLINES: "Declined to confirm the reports from {place}.",
    Stance.RETRACTS: "Withdrew an earlier assertion about {place}.",
}
HOW = ["", "", "told reporters by phone", "in a video statement", "at a briefing", "on its channel"]
STATUS_LATER = [
    Status.DISPUTED,
    Status.CONFIRMED,
    Status.REFUTED,
    Status.MIXED,
    Status.MISLEADING,
    Status.UNVERIFIABLE,
]
STANCES = list(Stance.values)
SOURCE_KINDS = list(SourceKind.values)
LINK_KINDS = list(LinkKind.values)


def _slug(text):
    out = []
    for ch in text.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)[:150]


class Tables:
    """Column lists for the rows this module writes, in model field order."""

    topic = (Topic, ["id", "created_at", "updated_at", "name", "slug", "description"])
    place = (
        Place,
        ["id", "created_at", "updated_at", "name", "slug", "aliases", "country", "latitude", "longitude"],
    )
    actor = (
        Actor,
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "kind",
            "role",
            "affiliation_id",
            "country",
            "wikidata_id",
            "description",
        ],
    )
    alias = (ActorAlias, ["id", "actor_id", "name", "language"])
    source = (
        Source,
        [
            "id",
            "created_at",
            "updated_at",
            "url",
            "title",
            "publisher_id",
            "kind",
            "language",
            "published_on",
            "published_time",
            "archive_url",
            "accessed_on",
        ],
    )
    claim = (
        Claim,
        [
            "id",
            "created_at",
            "updated_at",
            "text",
            "slug",
            "context",
            "internal_notes",
            "place_id",
            "occurred_on",
            "first_claimed_on",
            "is_published",
            "published_at",
            "status",
            "status_changed_at",
            "search_document",
        ],
    )
    claim_topic = (Claim.topics.through, ["id", "claim_id", "topic_id"])
    statement = (
        Statement,
        [
            "id",
            "created_at",
            "updated_at",
            "claim_id",
            "actor_id",
            "stance",
            "summary",
            "quote",
            "quote_language",
            "translation",
            "stated_on",
        ],
    )
    statement_source = (StatementSource, ["id", "statement_id", "source_id", "how"])
    assessment = (
        Assessment,
        [
            "id",
            "created_at",
            "updated_at",
            "claim_id",
            "status",
            "rationale",
            "author_id",
            "assessed_at",
            "is_published",
            "internal_notes",
            "original_rating",
        ],
    )
    evidence = (Assessment.evidence.through, ["id", "assessment_id", "source_id"])
    link = (ClaimLink, ["id", "from_claim_id", "to_claim_id", "kind", "note"])


class Writer:
    """Writes rows with COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.counts = {}

    def _adapt(self, value):
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return connection.ops.adapt_datefield_value(value)
        if isinstance(value, dt.time):
            return connection.ops.adapt_timefield_value(value)
        return value

    def write(self, table, rows):
        model, columns = table
        if not rows:
            return
        name = model._meta.db_table
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(name)} ({quoted}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(name)} ({quoted}) VALUES ({placeholders})",
                    [[self._adapt(v) for v in row] for row in rows],
                )


def _next_id(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
        return (cursor.fetchone()[0] or 0) + 1


def _all_models():
    return [table[0] for name, table in vars(Tables).items() if not name.startswith("_")]


class Generator:
    def __init__(self, claims, seed=1, log=None):
        self.n = claims
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.writer = Writer()
        self.ids = {model: _next_id(model) for model in _all_models()}

    def take_id(self, model):
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def when(self, day, hours=0):
        return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(hours=hours)

    # --- Shared pools -------------------------------------------------------

    def make_places(self):
        rng = self.rng
        count = max(10, self.n // 50)
        rows, self.places = [], []
        seen = set()
        for index in range(count):
            while True:
                parts = [rng.choice(SYLLABLES_START), rng.choice(SYLLABLES_MIDDLE), rng.choice(SYLLABLES_END)]
                if rng.random() < 0.5:
                    parts.insert(2, rng.choice(SYLLABLES_MIDDLE))
                names = tuple("".join(p[i] for p in parts) for i in range(3))
                # Past the distinct combinations, a number keeps names apart.
                if names[0] not in seen or len(seen) > 2000:
                    break
            seen.add(names[0])
            en, uk, ru = names
            if index >= 2000:
                en, uk, ru = (f"{name} {index}" for name in names)
            pk = self.take_id(Place)
            lat = round(rng.uniform(44.5, 52.0), 6) if rng.random() < 0.8 else None
            lon = round(rng.uniform(22.0, 40.0), 6) if lat is not None else None
            created = self.when(BASE_DAY - dt.timedelta(days=2000))
            rows.append((pk, created, created, en, f"{_slug(en)}-{pk}", f"{uk}\n{ru}", "UA", lat, lon))
            self.places.append((pk, en, uk, ru, f"{uk}\n{ru}"))
        self.writer.write(Tables.place, rows)

    def make_topics(self):
        rng = self.rng
        count = max(5, self.n // 500)
        rows, self.topics = [], []
        for _ in range(count):
            pk = self.take_id(Topic)
            place = rng.choice(self.places)
            name = rng.choice(TOPIC_THEMES).format(place=place[1])
            name = f"{name} ({pk})"
            created = self.when(BASE_DAY - dt.timedelta(days=2000))
            rows.append((pk, created, created, name, f"{_slug(name)}-{pk}", f"Claims about {name.lower()}."))
            self.topics.append(pk)
        self.writer.write(Tables.topic, rows)

    def make_actors(self):
        rng = self.rng
        count = max(20, self.n // 4)
        org_count = max(6, count // 10)
        actor_rows, alias_rows = [], []
        self.actors = []  # (pk, name, [alias names])
        self.media = []  # (pk, name, domain)
        weights = []
        created = self.when(BASE_DAY - dt.timedelta(days=2000))
        for index in range(count):
            pk = self.take_id(Actor)
            aliases = []
            if index < org_count:
                country = rng.choice(COUNTRIES)
                if index % 3 == 0:
                    city = rng.choice(self.places)
                    media = rng.choice(MEDIA)
                    kind, name = ActorKind.MEDIA_OUTLET, f"{city[1]} {media[0]}"
                    aliases.append((f"{city[2]} {media[1]}", "uk"))
                    self.media.append((pk, name, f"{_slug(name)}-{pk}.example.org"))
                else:
                    kind, en, uk, ru = rng.choice(ORG_KINDS)
                    name = f"{en} of {country} ({index})"
                    aliases += [(f"{uk} ({index})", "uk"), (f"{ru} ({index})", "ru")]
                affiliation, role = None, ""
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                kind, country = ActorKind.PERSON, rng.choice(COUNTRIES)
                name = f"{first[0]} {last[0]}"
                if rng.random() < 0.6:
                    aliases.append((f"{first[1]} {last[1]}", "uk"))
                    if rng.random() < 0.5 and (first[2], last[2]) != (first[1], last[1]):
                        aliases.append((f"{first[2]} {last[2]}", "ru"))
                org = rng.choice(self.actors[:org_count]) if rng.random() < 0.7 else None
                affiliation = org[0] if org else None
                role = rng.choice(ROLES).format(org=org[1]) if org else ""
            wikidata = f"Q{rng.randrange(1, 10**8)}" if rng.random() < 0.3 else ""
            actor_rows.append(
                (
                    pk,
                    created,
                    created,
                    name,
                    f"{_slug(name)}-{pk}",
                    kind,
                    role,
                    affiliation,
                    country,
                    wikidata,
                    "",
                )
            )
            for alias, language in aliases:
                alias_rows.append((self.take_id(ActorAlias), pk, alias, language))
            # In the order the services read them (ActorAlias.Meta.ordering).
            self.actors.append((pk, name, sorted(alias for alias, _ in aliases)))
            # 2% of actors are prominent: they speak twenty times as often, so
            # the busiest have hundreds of statements at any data size.
            weights.append(20 if rng.random() < 0.02 else 1)
        self.actor_cum_weights = list(itertools.accumulate(weights))
        self.writer.write(Tables.actor, actor_rows)
        self.writer.write(Tables.alias, alias_rows)

    def make_sources(self):
        rng = self.rng
        count = max(50, self.n)
        rows, self.sources = [], []
        for _ in range(count):
            pk = self.take_id(Source)
            publisher = rng.choice(self.media)
            day = BASE_DAY - dt.timedelta(days=rng.randrange(0, 1500))
            place = rng.choice(self.places)
            title = f"Fighting near {place[1]}: what we know ({pk})"
            language = rng.choice(["en", "en", "uk", "ru"])
            url = f"https://{publisher[2]}/{day:%Y/%m/%d}/report-{pk}"
            archive = f"https://web.archive.org/web/{day:%Y%m%d}000000/{url}" if rng.random() < 0.5 else ""
            published_time = dt.time(rng.randrange(24), rng.randrange(60)) if rng.random() < 0.4 else None
            created = self.when(day)
            rows.append(
                (
                    pk,
                    created,
                    created,
                    url,
                    title,
                    publisher[0],
                    rng.choice(SOURCE_KINDS),
                    language,
                    day,
                    published_time,
                    archive,
                    day + dt.timedelta(days=rng.randrange(0, 30)),
                )
            )
            self.sources.append(pk)
        self.writer.write(Tables.source, rows)

    # --- Claims ------------------------------------------------------------

    def pick_actors(self, k):
        rng, cum, total = self.rng, self.actor_cum_weights, self.actor_cum_weights[-1]
        chosen, seen = [], set()
        while len(chosen) < k:
            index = bisect.bisect_right(cum, rng.random() * total)
            index = min(index, len(cum) - 1)
            if index not in seen:
                seen.add(index)
                chosen.append(self.actors[index])
        return chosen

    def make_claims(self, count):
        rng = self.rng
        w = self.writer
        claims, claim_topics, statements, statement_sources = [], [], [], []
        assessments, evidence, links = [], [], []
        for _ in range(count):
            pk = self.take_id(Claim)
            place = rng.choice(self.places)
            _, place_en, place_uk, place_ru, place_aliases = place
            text = rng.choice(CLAIM_TEMPLATES).format(
                force=rng.choice(FORCES),
                building=rng.choice(BUILDINGS),
                place=place_en,
                n=rng.randrange(1, 60) * 100,
            )
            first_claimed = BASE_DAY - dt.timedelta(days=rng.randrange(0, 1400))
            occurred = first_claimed - dt.timedelta(days=rng.randrange(0, 4))
            context = f"Reported on {first_claimed:%-d %B %Y} amid fighting near {place_en}."
            created = self.when(first_claimed, rng.randrange(0, 12))
            is_published = rng.random() < 0.95
            published_at = created + dt.timedelta(hours=1) if is_published else None
            notes = "Check the second video before publishing." if rng.random() < 0.05 else ""

            for topic in rng.sample(self.topics, 1 if rng.random() < 0.7 else 2):
                claim_topics.append((self.take_id(Claim.topics.through), pk, topic))

            k = 2 + int(19 * rng.random() ** 2)  # 2..20, mostly few
            search_statements = []
            claim_sources = []
            last_change = created
            for position, (actor_pk, actor_name, alias_names) in enumerate(self.pick_actors(k)):
                stance = (Stance.ASSERTS, Stance.DENIES)[position] if position < 2 else rng.choice(STANCES)
                stated_on = first_claimed + dt.timedelta(days=rng.randrange(0, 20))
                if rng.random() < 0.8:
                    language = rng.choice(["uk", "ru", "en"])
                    original, translation = QUOTES[language][stance]
                    spelling = {"uk": place_uk, "ru": place_ru, "en": place_en}[language]
                    quote, translation = original.format(place=spelling), translation.format(place=place_en)
                    summary = ""
                else:
                    language, quote, translation = "", "", ""
                    summary = SUMMARIES[stance].format(place=place_en)
                statement_pk = self.take_id(Statement)
                stamp = self.when(stated_on, rng.randrange(0, 12))
                last_change = max(last_change, stamp)
                statements.append(
                    (
                        statement_pk,
                        stamp,
                        stamp,
                        pk,
                        actor_pk,
                        stance,
                        summary,
                        quote,
                        language,
                        translation,
                        stated_on,
                    )
                )
                search_statements.append(
                    ((stated_on, statement_pk), (summary, quote, translation, actor_name, alias_names))
                )
                for source in rng.sample(self.sources, 1 + int(5 * rng.random() ** 2)):
                    statement_sources.append(
                        (self.take_id(StatementSource), statement_pk, source, rng.choice(HOW))
                    )
                    claim_sources.append(source)

            claim_sources = list(dict.fromkeys(claim_sources))
            status, status_changed_at = Status.UNVERIFIED, None
            assessed_at = created
            for index in range(1 + int(4 * rng.random() ** 1.5)):
                assessed_at = assessed_at + dt.timedelta(hours=rng.randrange(2, 200))
                verdict = Status.UNVERIFIED if index == 0 and rng.random() < 0.5 else rng.choice(STATUS_LATER)
                published = rng.random() < 0.85
                assessment_pk = self.take_id(Assessment)
                assessments.append(
                    (
                        assessment_pk,
                        assessed_at,
                        assessed_at,
                        pk,
                        verdict,
                        f"Assessment {index + 1}: {verdict} after reviewing the sources on {place_en}.",
                        None,
                        assessed_at,
                        published,
                        "",
                        "",
                    )
                )
                if published:
                    status, status_changed_at = verdict, assessed_at
                last_change = max(last_change, assessed_at)
                for source in rng.sample(claim_sources, min(len(claim_sources), rng.randrange(0, 3))):
                    evidence.append((self.take_id(Assessment.evidence.through), assessment_pk, source))

            if pk > self.first_claim_id and rng.random() < 0.2:
                other = rng.randrange(self.first_claim_id, pk)
                links.append((self.take_id(ClaimLink), pk, other, rng.choice(LINK_KINDS), ""))

            # In the order the services read them (Statement.Meta.ordering).
            search_statements = [parts for _, parts in sorted(search_statements)]
            document = compose_search_document(text, context, place_en, place_aliases, search_statements)
            claims.append(
                (
                    pk,
                    created,
                    last_change,
                    text,
                    f"{_slug(text)}-{pk}",
                    context,
                    notes,
                    place[0],
                    occurred,
                    first_claimed,
                    is_published,
                    published_at,
                    status,
                    status_changed_at,
                    document,
                )
            )
        w.write(Tables.claim, claims)
        w.write(Tables.claim_topic, claim_topics)
        w.write(Tables.statement, statements)
        w.write(Tables.statement_source, statement_sources)
        w.write(Tables.assessment, assessments)
        w.write(Tables.evidence, evidence)
        w.write(Tables.link, links)

    # --- Run ---------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        self.first_claim_id = self.ids[Claim]
        postgres = self.writer.postgres
        dropped = []
        if postgres and self.n >= DROP_INDEXES_FROM:
            dropped = _drop_claim_search_indexes()
        try:
            with transaction.atomic():
                self.make_places()
                self.make_topics()
                self.make_actors()
                self.make_sources()
            self.log(f"pools: {time.monotonic() - started:.1f}s")
            done = 0
            while done < self.n:
                batch = min(BATCH_CLAIMS, self.n - done)
                with transaction.atomic():
                    self.make_claims(batch)
                done += batch
                if done % 50000 == 0 or done == self.n:
                    self.log(f"claims: {done}/{self.n} at {time.monotonic() - started:.1f}s")
            _reset_sequences()
            if postgres:
                fill_search_vectors(self.first_claim_id, self.ids[Claim] - 1)
                self.log(f"search vectors: {time.monotonic() - started:.1f}s")
                refresh_search_terms()
                self.log(f"search vocabulary: {time.monotonic() - started:.1f}s")
        finally:
            if dropped:
                _create_indexes(dropped)
                self.log(f"search indexes: {time.monotonic() - started:.1f}s")
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.log(f"done: {time.monotonic() - started:.1f}s")
        return self.writer.counts


def _search_index_sql():
    migration = importlib.import_module("claims.migrations.0002_postgres_search")
    return [
        (sql, drop)
        for sql, drop in zip(migration.CREATE, migration.DROP, strict=True)
        if "claim_search_vector_gin" in sql  # 0005 dropped the document trigram index
    ]


def _drop_claim_search_indexes():
    """Loading into a trigram GIN index row by row is slow; building it once
    after the load is fast. Returns what to recreate."""
    pairs = _search_index_sql()
    with connection.cursor() as cursor:
        for _, drop in pairs:
            cursor.execute(drop)
    return [create for create, _ in pairs]


def _create_indexes(statements):
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")


def _reset_sequences():
    statements = connection.ops.sequence_reset_sql(no_style(), _all_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def fill_search_vectors(first_id, last_id, batch=VECTOR_BATCH):
    """The same vector refresh_search_documents computes, as one UPDATE per batch."""
    with connection.cursor() as cursor:
        for low in range(first_id, last_id + 1, batch):
            with transaction.atomic():
                cursor.execute(
                    "UPDATE claims_claim SET search_vector = "
                    "setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'A') || "
                    "setweight(to_tsvector('english'::regconfig, COALESCE(search_document, '')), 'B') "
                    "WHERE id BETWEEN %s AND %s",
                    [low, min(low + batch - 1, last_id)],
                )


def generate(claims, seed=1, log=None):
    """Add `claims` generated claims (and their pools) to the database."""
    return Generator(claims, seed=seed, log=log).run()
