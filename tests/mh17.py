"""The MH17 claim set, from public facts: the Joint Investigation Team's finding
against the Russian defence ministry's and Almaz-Antey's versions. 4 claims,
10 statements, 10 sources, 6 assessments, 3 links; 5 actors made inline.

As a bulk request: the JIT finding first, then each counter-version with its
`contradicts` link to it (a link names a claim stored already; the items of a
bulk request are stored in order)."""

JIT_FINDING = "mh17-jit-finding"
SU25 = "mh17-su-25-version"
UKRAINIAN_MISSILE = "mh17-ukrainian-missile-version"
ZAROSHCHENSKE = "mh17-zaroshchenske-version"

JIT = {"slug": "joint-investigation-team", "name": "Joint Investigation Team (JIT)", "kind": "organisation"}
MOD = {
    "slug": "russian-ministry-of-defence",
    "name": "Russian Ministry of Defence",
    "kind": "government_body",
}

S = {
    "jit_2016": "https://www.prosecutionservice.nl/topics/mh17-plane-crash/news/2016/09/28/jit-presentation",
    "jit_2016_qa": "https://www.politie.nl/en/information/jit-mh17-questions-and-answers-2016.html",
    "jit_2018": "https://www.prosecutionservice.nl/topics/mh17-plane-crash/news/2018/05/24/update-jit",
    "verdict": "https://www.courtmh17.com/en/news/2022/verdict-mh17-trial.html",
    "mod_2014": "https://tass.com/world/741258",
    "dsb": "https://www.onderzoeksraad.nl/en/page/3546/crash-mh17-17-july-2014",
    "mod_2018": "https://www.reuters.com/article/us-ukraine-crisis-mh17-russia-idUSKCN1LX0ZG",
    "jit_2018_reply": "https://www.prosecutionservice.nl/topics/mh17-plane-crash/news/2018/09/17/jit-reaction",
    "almaz_2015_06": "https://www.reuters.com/article/us-ukraine-crisis-mh17-russia-idUSKBN0OI1QO20150602",
    "almaz_2015_10": "https://www.reuters.com/article/us-ukraine-crisis-mh17-russia-idUSKCN0S71LN20151013",
}


def source(key, title, published_on, kind="official_statement", how=""):
    return {"url": S[key], "title": title, "published_on": published_on, "kind": kind, "how": how}


def mh17_claim_sets(published=True):
    return [
        {
            "slug": JIT_FINDING,
            "text": "MH17 was shot down by a Buk missile of Russia's 53rd Anti-Aircraft Missile Brigade, "
            "fired from a field near Pervomaiskyi in eastern Ukraine.",
            "occurred_on": "2014-07-17",
            "first_claimed_on": "2016-09-28",
            "is_published": published,
            "statements": [
                {
                    "actor": JIT,
                    "stance": "asserts",
                    "stated_on": "2016-09-28",
                    "summary": "MH17 was downed by a Buk missile brought in from Russia and fired from "
                    "farmland near Pervomaiskyi.",
                    "sources": [source("jit_2016", "JIT presentation of the first results", "2016-09-28")],
                },
                {
                    "actor": JIT,
                    "stance": "asserts",
                    "stated_on": "2018-05-24",
                    "summary": "The Buk came from the Russian army's 53rd Anti-Aircraft Missile Brigade.",
                    "sources": [source("jit_2018", "Update in criminal investigation MH17", "2018-05-24")],
                },
                {
                    "actor": {"name": "District Court of The Hague", "kind": "government_body"},
                    "stance": "asserts",
                    "stated_on": "2022-11-17",
                    "summary": "MH17 was shot down by a Buk missile fired from a field near Pervomaiskyi.",
                    "sources": [source("verdict", "Verdict in the MH17 trial", "2022-11-17")],
                },
            ],
            "assessments": [
                {
                    "status": "disputed",
                    "rationale": "The JIT's finding; Russia denies any part in the downing.",
                    "assessed_at": "2016-09-28T18:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["jit_2016"]}],
                },
                {
                    "status": "confirmed",
                    "rationale": "A Dutch court found it proven, on the JIT's evidence.",
                    "assessed_at": "2022-11-17T18:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["verdict"]}],
                },
            ],
        },
        {
            "slug": SU25,
            "text": "MH17 was shot down by a Ukrainian Su-25 ground-attack jet flying near it.",
            "occurred_on": "2014-07-17",
            "first_claimed_on": "2014-07-21",
            "is_published": published,
            "statements": [
                {
                    "actor": MOD,
                    "stance": "asserts",
                    "stated_on": "2014-07-21",
                    "summary": "At a press conference: a Ukrainian Su-25 was detected gaining height "
                    "towards MH17.",
                    "sources": [
                        source("mod_2014", "Russian MoD briefing on MH17", "2014-07-21", "news_report")
                    ],
                },
                {
                    "actor": {"name": "Dutch Safety Board", "kind": "government_body"},
                    "stance": "denies",
                    "stated_on": "2015-10-13",
                    "summary": "MH17 was hit by a 9N314M warhead carried on a Buk 9M38-series missile.",
                    "sources": [source("dsb", "Crash of Malaysia Airlines flight MH17", "2015-10-13")],
                },
            ],
            "assessments": [
                {
                    "status": "disputed",
                    "rationale": "Russia's version, against the early evidence of a surface-to-air missile.",
                    "assessed_at": "2014-07-22T12:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["mod_2014"]}],
                },
                {
                    "status": "refuted",
                    "rationale": "The Dutch Safety Board found a Buk warhead's fragments.",
                    "assessed_at": "2015-10-13T18:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["dsb"]}],
                },
            ],
            "links": [{"claim": JIT_FINDING, "kind": "contradicts"}],
        },
        {
            "slug": UKRAINIAN_MISSILE,
            "text": "The Buk missile that downed MH17 belonged to a Ukrainian military unit.",
            "first_claimed_on": "2018-09-17",
            "is_published": published,
            "statements": [
                {
                    "actor": MOD["slug"],
                    "stance": "asserts",
                    "stated_on": "2018-09-17",
                    "summary": "Serial numbers show the missile was delivered to a Ukrainian unit in 1986.",
                    "sources": [
                        source(
                            "mod_2018",
                            "Russia says missile that downed MH17 was Ukrainian",
                            "2018-09-17",
                            "news_report",
                        ),
                    ],
                },
                {
                    "actor": JIT["slug"],
                    "stance": "qualifies",
                    "stated_on": "2018-09-17",
                    "summary": "Will study the new Russian information carefully.",
                    "sources": [source("jit_2018_reply", "JIT reaction to the Russian MoD", "2018-09-17")],
                },
            ],
            "assessments": [
                {
                    "status": "disputed",
                    "rationale": "Russia's documents, not yet examined by the investigators.",
                    "assessed_at": "2018-09-18T12:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["mod_2018"]}, {"url": S["jit_2018_reply"]}],
                },
            ],
            "links": [{"claim": JIT_FINDING, "kind": "contradicts"}],
        },
        {
            "slug": ZAROSHCHENSKE,
            "text": "MH17 was hit by an older 9M38M1 Buk missile fired from near Zaroshchenske, in "
            "Ukrainian-held territory.",
            "first_claimed_on": "2015-06-02",
            "is_published": published,
            "statements": [
                {
                    "actor": {"name": "Almaz-Antey", "kind": "organisation"},
                    "stance": "asserts",
                    "stated_on": "2015-06-02",
                    "summary": "An older 9M38M1 missile was fired from the area of Zaroshchenske.",
                    "sources": [
                        source(
                            "almaz_2015_06",
                            "Buk maker says MH17 hit by old missile",
                            "2015-06-02",
                            "news_report",
                        ),
                    ],
                },
                {
                    "actor": {"name": "Almaz-Antey", "kind": "organisation"},
                    "stance": "asserts",
                    "stated_on": "2015-10-13",
                    "summary": "Its experiment with a missile and an airliner's nose showed the launch "
                    "came from the Zaroshchenske area.",
                    "sources": [
                        source(
                            "almaz_2015_10",
                            "Russian missile maker disputes Dutch findings",
                            "2015-10-13",
                            "news_report",
                        ),
                    ],
                },
                {
                    "actor": JIT["slug"],
                    "stance": "denies",
                    "stated_on": "2016-09-28",
                    "summary": "The launch site was farmland near Pervomaiskyi, held by pro-Russian forces.",
                    "sources": [
                        {"url": S["jit_2016"], "how": "presentation"},
                        source("jit_2016_qa", "JIT MH17: questions and answers", "2016-09-28"),
                    ],
                },
            ],
            "assessments": [
                {
                    "status": "refuted",
                    "rationale": "The JIT places the launch near Pervomaiskyi.",
                    "assessed_at": "2016-09-28T18:00:00Z",
                    "is_published": published,
                    "evidence": [{"url": S["jit_2016"]}],
                },
            ],
            "links": [{"claim": JIT_FINDING, "kind": "contradicts"}],
        },
    ]


COUNTS = {"claims": 4, "statements": 10, "sources": 10, "assessments": 6, "links": 3, "actors": 5}
