"""What a mirror is compared with: every row the public API lists."""

RESOURCES = {
    "claim": "claims",
    "statement": "statements",
    "assessment": "assessments",
    "claim-link": "claim-links",
}


def public_api(client):
    """Every row the public API shows, by (subject, key), with its detail."""
    rows = {}
    for subject, resource in RESOURCES.items():
        url = f"/api/v1/{resource}/?page_size=100"
        while url:
            page = client.get(url).json()
            for item in page["results"]:
                detail = client.get(item["api_url"])
                key = item["slug"] if subject == "claim" else str(item["id"])
                rows[(subject, key)] = detail.json()
            url = page["next"]
    return rows
