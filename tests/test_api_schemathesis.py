"""Property-based run of the published schema against the app (schemathesis).

Each operation gets a bounded number of generated requests, sent straight to
the WSGI application inside the test's transaction. No answer may be a 5xx,
and every answer must match what the schema documents for it.
"""

import os
import time

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.api_base import ApiTestCase

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A longer, randomised exploration: API_FUZZ_EXAMPLES=200 make test.
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
EXPLORING = "API_FUZZ_EXAMPLES" in os.environ
BUDGET_SECONDS = 120 if not EXPLORING else 3600


class SchemathesisTests(ApiTestCase):
    def setUp(self):
        # The app is called as a plain WSGI app, whose request signals would
        # close the test's connection (and its transaction) on PostgreSQL;
        # Django's own test client disconnects them the same way.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

    def _run(self, headers=None, methods=("GET", "POST", "PUT", "PATCH")):
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
        started, checked = time.monotonic(), []
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method.upper() not in methods:
                continue

            @given(case=operation.as_strategy())
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=not EXPLORING,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            run()
            checked.append(operation.label)
            self.assertLess(time.monotonic() - started, BUDGET_SECONDS)
        return checked

    def test_anonymous_requests_get_no_5xx_and_match_the_schema(self):
        with self.settings(ALLOWED_HOSTS=["localhost"]):
            checked = self._run()
        self.assertIn("GET /api/v1/incidents/", checked)
        self.assertIn("POST /api/v1/incidents/", checked)
        self.assertIn("GET /api/v1/stats/", checked)

    def test_journalist_writes_get_no_5xx_and_match_the_schema(self):
        headers = {"Authorization": f"Token {self.journalist_token.key}"}
        with self.settings(ALLOWED_HOSTS=["localhost"]):
            checked = self._run(headers, methods=("POST", "PUT", "PATCH", "GET"))
        self.assertIn("PATCH /api/v1/incidents/{public_id}/", checked)
