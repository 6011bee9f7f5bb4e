"""OpenAPI at /api/v1/schema/ with no warnings; Swagger UI at /api/v1/docs/
working under our Content-Security-Policy (no inline script or style, no
external host)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_the_schema_generates_and_validates_with_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for documented in ["updated_since", "tokenAuth", "cookieAuth", "'412'", "'409'", "'429'", "cursor"]:
        assert documented in schema


def test_the_schema_is_served(api_client, db):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/claims/{slug}/claimreview/" in paths
    assert "/api/v1/import/claimreview/" in paths


@pytest.mark.django_db
def test_swagger_ui_loads_only_our_own_scripts_under_the_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    assert not [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if "//" in url]
    for asset in assets:
        path = asset.split("?")[0]
        if path.startswith("/static/"):
            assert finders.find(path.removeprefix("/static/")), asset
    start = [asset for asset in assets if "script" in asset.split("?")[-1]]
    script = client.get(start[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- Fields that name other rows say which, and how ----------------------------

REFERENCES = {  # property name -> the resource whose slug or id it holds
    "claim": "claims",
    "from_claim": "claims",
    "to_claim": "claims",
    "actor": "actors",
    "publisher": "actors",
    "affiliation": "actors",
    "topics": "topics",
    "place": "places",
    "source": "sources",
    "evidence": "sources",
}
BY_ID = {"sources"}


def plain_schemas(prop):
    """The property's schema(s) that hold a value, not an object ($ref)."""
    prop = prop.get("items", prop)
    options = prop.get("oneOf", [prop])
    return [option for option in options if "type" in option and option["type"] != "object"]


def test_every_field_naming_another_row_says_whose_slug_or_id_it_holds(api_client, db):
    components = api_client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    checked = 0
    for component, schema in components.items():
        for name, prop in schema.get("properties", {}).items():
            if name not in REFERENCES or component.startswith(("Import", "ExternalReview")):
                continue
            for value in [option for option in plain_schemas(prop) if option.get("maxLength") != 0]:
                resource = REFERENCES[name]
                description = (prop.get("description", "") + value.get("description", "")).lower()
                assert value.get("x-resource") == resource or prop.get("x-resource") == resource, (
                    component,
                    name,
                )
                if resource in BY_ID:
                    assert value["type"] == "integer" and "id" in description, (component, name)
                else:
                    assert value["type"] == "string" and value.get("format") == "slug", (component, name)
                    assert value.get("pattern") == "^[-a-zA-Z0-9_]+$", (component, name)
                    assert "slug" in description, (component, name)
                assert f"/api/v1/{resource}/" in description, (component, name)
                checked += 1
    assert checked > 30
    publisher = components["Source"]["properties"]["publisher"]
    assert publisher["x-resource"] == "actors" and "an actor's slug" in publisher["description"].lower()
    assert components["ImportRecord"]["properties"]["claim"]["x-resource"] == "claims"
    assert components["Claim"]["properties"]["slug"]["format"] == "slug"
    for row in ("StatementRowRequest", "AssessmentRowRequest", "LinkRowRequest", "SourceInSetRequest"):
        assert components[row]["properties"]["id"]["x-resource"], row


def test_a_filter_on_a_related_rows_slug_says_whose(api_client, db):
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    for path, name, resource in [
        ("/api/v1/claims/", "topic", "topics"),
        ("/api/v1/sources/", "publisher", "actors"),
        ("/api/v1/statements/", "actor", "actors"),
        ("/api/v1/assessments/", "claim", "claims"),
    ]:
        [parameter] = [p for p in paths[path]["get"]["parameters"] if p["name"] == name]
        assert parameter["schema"]["format"] == "slug" and parameter["schema"]["x-resource"] == resource
