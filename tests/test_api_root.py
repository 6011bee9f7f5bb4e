"""GET /api/v1/ is the API's index, not a 404: each resource's list, the schema, the docs."""


def test_the_api_root_lists_every_resource_the_schema_and_the_docs(api_client, db):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["resources"]["claims"] == "http://testserver/api/v1/claims/"
    assert body["resources"]["claim-links"] == "http://testserver/api/v1/claim-links/"
    for name, url in body["resources"].items():
        listed = api_client.get(url)
        assert listed.status_code == 200, name
        assert "results" in listed.json(), name


def test_the_api_root_is_in_the_schema(api_client, db):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "get" in schema["paths"]["/api/v1/"]


def test_other_unknown_api_addresses_are_still_json_404s(api_client, db):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["status"] == 404
