import json

from django.test import SimpleTestCase

from tests.deploy import closed_port, production_env, run_python

# Runs in a process whose database is a port nobody serves, with one extra
# API-like route that reads the record, as the API views do.
_SCRIPT = """
import json, sys, types
import django
django.setup()
from django.test import Client, override_settings
from django.urls import include, path
from incidents.models import Incident

def count(request):
    from django.http import JsonResponse
    return JsonResponse({"count": Incident.objects.count()})

urls = types.ModuleType("dbdown_urls")
urls.urlpatterns = [
    path("api/v1/probe/", count),
    path("", include("config.urls")),
]
sys.modules["dbdown_urls"] = urls
out = {}
with override_settings(ROOT_URLCONF="dbdown_urls"):
    client = Client(raise_request_exception=False)
    for url in ["/", "/api/v1/probe/"]:
        r = client.get(url)
        out[url] = [r.status_code, r["Content-Type"], r.get("Retry-After"),
                    r.content.decode()]
print(json.dumps(out))
"""


class DatabaseUnavailableTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = production_env(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/nothing",
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_REQUEST_LOG="false",
        )
        cls.result = run_python(_SCRIPT, env)
        cls.pages = (
            json.loads(cls.result.stdout.strip().splitlines()[-1])
            if cls.result.returncode == 0
            else {}
        )

    def test_a_page_answers_a_plain_503_page(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        status, content_type, retry_after, body = self.pages["/"]
        self.assertEqual(status, 503)
        self.assertTrue(content_type.startswith("text/html"))
        self.assertEqual(retry_after, "30")
        self.assertIn("Temporarily unavailable", body)
        self.assertNotIn("Traceback", body)
        self.assertNotIn("OperationalError", body)

    def test_an_api_path_answers_json(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        status, content_type, _, body = self.pages["/api/v1/probe/"]
        self.assertEqual(status, 503)
        self.assertEqual(content_type, "application/json")
        self.assertEqual(
            json.loads(body),
            {"detail": "The database is unavailable. Try again shortly."},
        )

    def test_the_details_go_to_the_server_log(self):
        self.assertIn("database unavailable", self.result.stderr)
        self.assertIn("OperationalError", self.result.stderr)
