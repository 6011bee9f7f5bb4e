"""Shared pieces of the browser tests: Debian's Chromium through Playwright,
against pytest-django's live server with the demo data loaded. conftest.py
imports the fixtures, so every browser test module has them."""

import os
from pathlib import Path

import axe_playwright_python
import pytest
from django.apps import apps as django_apps
from playwright import sync_api

from claims.demo import load_demo
from claims.roles import ensure_roles

# Playwright's sync API runs an event loop in this thread; the test's own
# database calls are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMAGES = ROOT / "docs" / "img"
# axe-core as the axe-playwright-python wheel ships it.
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    # A transactional test before this one may have flushed the tables,
    # the roles the data migration made included.
    ensure_roles(django_apps)
    load_demo()
    return live_server.url


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def shoot_for_docs(target, name, full_page=False):
    """A screenshot the docs show (docs/img/NAME.png): kept with the test's
    artifacts on every run, and written over the docs' copy only when
    DOCS_SCREENSHOTS=1, so a test run leaves the work tree as it was.
    `target` is a page or a locator (one part of a page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    options = {"full_page": True} if full_page else {}
    target.screenshot(path=str(ARTIFACTS / f"{name}.png"), **options)
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        target.screenshot(path=str(DOCS_IMAGES / f"{name}.png"), **options)


def watch_problems(page):
    """Script errors, CSP violations and failed requests the page meets (the
    browser's own /favicon.ico probe is no problem)."""
    problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error" and not m.text.startswith("Failed to load resource") and problems.append(m.text)
        ),
    )
    page.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and problems.append(r.url))
    return problems


def log_in(page, site, username, password):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
