"""Schemathesis against the live OpenAPI schema, as anonymous and as a Reviewer:
no 5xx, and every response fits the schema. Bounded: a few examples per
operation, so the run stays short."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from claims.demo import load_demo

ST = Path(sys.executable).with_name("st")
EXAMPLES = os.environ.get("API_FUZZ_EXAMPLES", "5")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def fuzz(live_server, workdir, *headers):
    command = [
        str(ST),
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--checks",
        CHECKS,
        "--max-examples",
        EXAMPLES,
        "--phases",
        "examples,fuzzing",
        "--workers",
        "1",
        "--generation-deterministic",
        "--request-timeout",
        "20",
        "--max-time",
        "45",
        "--no-color",
    ]
    for header in headers:
        command += ["--header", header]
    # Run in a scratch folder: Schemathesis keeps state in ./.schemathesis.
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=workdir)


@pytest.fixture
def no_throttles():
    rates = {"anon": None, "user": None}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        yield


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", [None, "Reviewer"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, api_client_for, no_throttles, tmp_path, role
):
    load_demo()
    headers = []
    if role:
        api_client_for(role)
        from rest_framework.authtoken.models import Token

        headers.append(f"Authorization: Token {Token.objects.get().key}")
    result = fuzz(live_server, tmp_path, *headers)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
