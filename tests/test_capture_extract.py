"""What extract reads from a page body, without HTTP: the facts of a real-looking
article, the fallbacks, charsets, and hostile or broken bodies that must
give an empty PageFacts (or what was read) and never an exception."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from claims.capture.extract import MAX_ELEMENTS, TEXT_LIMIT, PageFacts, extract

URL = "https://kyivexample.org/news/2023/wagner-claims-bakhmut-town-hall"
NAV = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(40))
RELATED = "".join(
    f'<li><a href="/news/{n}">Earlier: shelling reported in district {n}</a></li>' for n in range(20)
)
ARTICLE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Wagner claims Bakhmut town hall, Kyiv denies it | Kyiv Example Post</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="Wagner claims Bakhmut town hall, Kyiv denies it">
<meta property="og:site_name" content="Kyiv Example Post">
<meta property="og:locale" content="en_GB">
<meta property="og:url" content="{URL}">
<link rel="canonical" href="{URL}">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "war"}});</script>
<style>body {{ font-family: serif; }} .byline {{ color: #555; }}</style>
</head>
<body>
<header><nav><ul>{NAV}</ul></nav><form><input name="q" placeholder="Search"></form></header>
<main>
<article>
<h1>Wagner claims Bakhmut town hall, Kyiv denies it</h1>
<div class="byline">By <a href="/authors/olena">Olena Example</a>,
<time datetime="2023-04-03T11:20:00+03:00">3 April 2023, 11:20</time></div>
<p>Yevgeny Prigozhin said on Sunday night that his fighters had raised the Russian flag over the
city administration building in Bakhmut, and that the town was "legally" taken.</p>
<p>Serhiy Cherevatyi, spokesman for Ukraine's eastern military command, told reporters that the
city was holding and that Ukrainian units still controlled the administrative district.</p>
<p>Neither claim could be independently verified. Satellite images taken on Monday morning show
smoke over the centre of the city, where fighting has gone on for months.</p>
</article>
<aside><h2>Related</h2><ul>{RELATED}</ul></aside>
</main>
<footer><p>Copyright 2023 Kyiv Example Post. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>""".encode()


def page(head="", body="<p>Some text of the page, long enough to be taken for its main text.</p>", lang=""):
    lang = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang}><head>{head}</head><body>{body}</body></html>".encode()


def test_a_news_article_gives_its_title_site_name_byline_day_language_and_text():
    facts = extract(ARTICLE, "text/html", URL)
    assert facts.title == "Wagner claims Bakhmut town hall, Kyiv denies it"
    assert facts.publisher_name == "Kyiv Example Post"
    assert facts.published_on == dt.date(2023, 4, 3)  # from the byline's <time>
    assert facts.language == "en"
    assert "raised the Russian flag" in facts.text
    assert "Neither claim could be independently verified." in facts.text


def test_the_main_text_leaves_out_navigation_related_links_footer_and_scripts():
    text = extract(ARTICLE, "text/html; charset=utf-8", URL).text
    for boilerplate in ("Section 12", "Earlier: shelling", "All rights reserved", "dataLayer", "font-family"):
        assert boilerplate not in text


def test_a_page_with_only_a_title_gives_that_title_and_nothing_else():
    facts = extract(page("<title>Only a title</title>", body=""), "text/html", "https://example.org/x")
    assert facts == PageFacts(title="Only a title")


def test_the_site_name_is_not_made_up_from_the_host_name():
    facts = extract(page("<title>A report</title>"), "text/html", "https://www.example.org/report")
    assert facts.publisher_name == ""


def test_og_title_and_site_name_and_published_time_are_read_from_the_tags():
    head = (
        '<meta property="og:title" content="The og title">'
        '<meta property="og:site_name" content="The Site">'
        '<meta property="article:published_time" content="2023-04-02T22:30:00-05:00">'
        "<title>The html title - The Site</title>"
    )
    facts = extract(page(head), "text/html", "https://example.org/a")
    # The day as the publisher wrote it, not moved to UTC.
    assert (facts.title, facts.publisher_name, facts.published_on) == (
        "The og title",
        "The Site",
        dt.date(2023, 4, 2),
    )


def test_json_ld_gives_the_headline_publisher_and_date():
    json_ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Kyiv denies losing Bakhmut", "datePublished": "2023-04-03T08:00:00Z",'
        ' "publisher": {"@type": "Organization", "name": "Example Wire"}}</script>'
    )
    facts = extract(page("<title>Page</title>" + json_ld), "text/html", "https://example.org/a")
    assert (facts.title, facts.publisher_name, facts.published_on) == (
        "Kyiv denies losing Bakhmut",
        "Example Wire",
        dt.date(2023, 4, 3),
    )


@pytest.mark.parametrize(
    ("head", "publisher_name"),
    [
        ('<meta property="article:publisher" content="https://www.facebook.com/examplenews">', ""),
        ('<meta name="twitter:site" content="@ExampleNews">', "ExampleNews"),
        ("<title>A report - example.org</title>", ""),
    ],
)
def test_a_url_or_a_host_name_is_not_taken_for_the_site_name(head, publisher_name):
    assert extract(page(head), "text/html", "https://www.example.org/a").publisher_name == publisher_name


def test_a_trafilatura_without_its_metadata_steps_gets_the_same_facts_from_the_public_call(monkeypatch):
    expected = extract(ARTICLE, "text/html", URL)
    monkeypatch.setattr("claims.capture.extract.examine_meta", None)
    assert extract(ARTICLE, "text/html", URL) == expected


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        ("text/html", '<meta charset="windows-1251">'),
        ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'),
        ("text/html; charset=windows-1251", ""),
        ("", '<meta charset="windows-1251">'),
    ],
)
def test_a_windows_1251_russian_page_is_decoded_by_its_declared_charset(content_type, head):
    body = page(
        head + "<title>Вагнер заявил о захвате горсовета Бахмута</title>",
        "<p>Пригожин заявил, что над зданием администрации поднят российский флаг.</p>",
        lang="ru",
    ).decode()
    facts = extract(body.encode("windows-1251"), content_type, "https://example.ru/news/1")
    assert facts.title == "Вагнер заявил о захвате горсовета Бахмута"
    assert "поднят российский флаг" in facts.text
    assert facts.language == "ru"


def test_the_charset_sent_by_the_server_wins_over_the_pages_own():
    body = page('<meta charset="utf-8"><title>Сводка</title>').decode().encode("koi8-r")
    assert extract(body, "text/html; charset=koi8-r").title == "Сводка"


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    body = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><head><title>Déclaration</title></head>'
        "<body><p>Le ministère a démenti.</p></body></html>"
    ).encode("iso-8859-1")
    facts = extract(body, "application/xhtml+xml")
    assert (facts.title, facts.language) == ("Déclaration", "fr")


def test_a_pdf_gives_nothing_even_when_served_as_html():
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (Report) >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    assert extract(pdf, "application/pdf", "https://example.org/report.pdf") == PageFacts()
    assert extract(pdf, "text/html", "https://example.org/report.pdf") == PageFacts()


def test_an_image_or_other_type_gives_nothing():
    assert extract(b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png") == PageFacts()
    assert extract(page("<title>JSON?</title>"), "application/json") == PageFacts()


def test_plain_text_gives_the_body_as_its_text():
    body = "Заява Генштабу ЗСУ.\nBakhmut holds.\n".encode()
    assert extract(body, "text/plain; charset=utf-8") == PageFacts(text="Заява Генштабу ЗСУ.\nBakhmut holds.")


def test_a_body_without_a_content_type_is_read_only_if_it_starts_like_html():
    assert extract(page("<title>Untyped page</title>"), "").title == "Untyped page"
    assert extract(b"just some bytes <title>not html</title>", "") == PageFacts()


@pytest.mark.parametrize("content_type", ["text/html", "", "application/xhtml+xml", "text/plain"])
def test_garbage_bytes_give_empty_facts(content_type):
    garbage = random.Random(13).randbytes(20_000)
    assert extract(garbage, content_type, "https://example.org/") == PageFacts()


@pytest.mark.parametrize("content_type", ["text/html", "", "text/plain", "application/pdf"])
@pytest.mark.parametrize("body", [b"", b"   \n\t", b"\xef\xbb\xbf"])
def test_an_empty_body_gives_empty_facts(content_type, body):
    assert extract(body, content_type) == PageFacts()


def test_nul_and_control_characters_never_reach_the_facts():
    body = page("<title>Head\x00line\x07</title>", "<p>Body\x00 text with a NUL in the middle of it.\x1b</p>")
    facts = extract(body, "text/html")
    assert facts.title == "Headline"
    assert "\x00" not in facts.text and "\x1b" not in facts.text


@pytest.mark.parametrize(
    ("days_ahead", "kept"), [(0, True), (-400, True), (2, False), (40, False), (3650, False)]
)
def test_a_published_date_in_the_future_is_dropped(days_ahead, kept):
    day = timezone.now().date() + dt.timedelta(days=days_ahead)
    head = f'<title>Dated</title><meta property="article:published_time" content="{day}T08:00:00Z">'
    facts = extract(page(head), "text/html", "https://example.org/dated")
    assert facts.published_on == (day if kept else None)
    assert facts.title == "Dated"


@pytest.mark.parametrize(
    ("lang", "head", "headers", "language"),
    [
        ("uk-UA", "", (), "uk"),
        ("zh-Hant-TW", "", (), "zh"),
        ("", '<meta property="og:locale" content="ru_RU">', (), "ru"),
        ("", '<meta http-equiv="Content-Language" content="pl">', (), "pl"),
        ("", "", [("Content-Language", "de-DE, en")], "de"),
        ("ja", "", (), ""),  # not one of ours
        ("ua", "", (), ""),  # a country, not a language (Ukrainian is uk)
        ("ja", '<meta property="og:locale" content="en_US">', (), ""),  # no falling back past it
        ("{{ lang }}", '<meta property="og:locale" content="fi_FI">', (), "fi"),  # not a code at all
        ("", "", (), ""),
    ],
)
def test_the_language_is_the_declared_one_if_we_know_it(lang, head, headers, language):
    facts = extract(page("<title>T</title>" + head, lang=lang), "text/html", "https://example.org/", headers)
    assert facts.language == language


def test_a_long_title_is_cut_to_what_a_source_holds():
    assert len(extract(page(f"<title>{'Very long title ' * 100}</title>"), "text/html").title) <= 500


def test_a_deeply_nested_page_does_not_raise():
    body = b"<html><head><title>Nested</title></head><body>" + b"<div><span>" * 100_000 + b"deep"
    assert extract(body, "text/html").title == "Nested"


def test_a_10_mb_page_is_read_up_to_the_limits_without_raising():
    paragraph = b"<p>Artillery fire was reported overnight in the north of the city, officials said.</p>"
    body = b"<html><head><title>Live: the war, day 404</title></head><body>" + paragraph * 120_000
    assert len(body) > 10_000_000 and body.count(b"<p>") > MAX_ELEMENTS
    facts = extract(body, "text/html", "https://example.org/live")
    assert facts.title == "Live: the war, day 404"
    assert "Artillery fire" in facts.text
    assert len(facts.text) <= TEXT_LIMIT


def test_an_unclosed_and_mangled_page_still_gives_its_title():
    body = (
        b"<html><head><title>Broken page</title><meta property='og:site_name' content='S'<body><p>x<div></b>"
    )
    facts = extract(body, "text/html")
    assert facts.title == "Broken page"


def test_a_parser_failure_gives_what_was_read_before_it(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the text extraction")

    monkeypatch.setattr("claims.capture.extract.trafilatura.bare_extraction", broken)
    facts = extract(ARTICLE, "text/html", URL)
    assert facts.title == "Wagner claims Bakhmut town hall, Kyiv denies it"
    assert facts.published_on == dt.date(2023, 4, 3)
    assert facts.text == ""
