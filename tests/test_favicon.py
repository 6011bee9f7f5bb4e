"""The site's icon: named by every page, and /favicon.ico for those who ask anyway.

A browser that finds no icon asks for /favicon.ico, and a 404 there shows up as
an error in the reader's console (and in our logs) on every first visit.
"""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

ICON_LINK = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'


@pytest.mark.parametrize("path", ["/", "/claims/", "/methodology/", "/claims/?q=Bakhmut"])
def test_reader_pages_name_the_svg_icon(client, db, path):
    assert ICON_LINK in client.get(path).content.decode()


def test_admin_pages_name_the_svg_icon(admin_client):
    assert ICON_LINK in admin_client.get("/admin/").content.decode()


def test_favicon_ico_redirects_to_the_icon_for_a_day(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert response["Cache-Control"] == "public, max-age=86400"


def test_favicon_ico_refuses_writes(client, db):
    assert client.post("/favicon.ico").status_code == 405


def test_the_icon_is_a_static_svg():
    path = finders.find("favicon.svg")
    assert path is not None
    with open(path) as icon:
        assert icon.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
