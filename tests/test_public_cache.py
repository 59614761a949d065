from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory, TestCase
from django.urls import reverse

from incidents.cache import cache_public, record_version
from incidents.models import Incident
from tests.factories import make_incident, make_location, make_source, make_user


class PublicCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.place = make_location("Ramenskoye")
        cls.incident = make_incident(places=[cls.place])
        cls.url = reverse("incidents:list")

    def test_a_repeated_anonymous_request_is_served_from_the_cache(self):
        first = self.client.get(self.url)
        self.assertEqual(first["X-Cache"], "miss")
        with self.assertNumQueries(0):
            second = self.client.get(self.url)
        self.assertEqual(second["X-Cache"], "hit")
        self.assertEqual(second.content, first.content)
        self.assertEqual(second["ETag"], first["ETag"])
        self.assertTrue(second.has_header("Last-Modified"))

    def test_publishing_an_incident_shows_on_the_cached_list(self):
        draft = make_incident(
            status=Incident.Status.DRAFT, places=[make_location("Mozhaysk")]
        )
        self.assertNotContains(self.client.get(self.url), "Mozhaysk")
        self.assertEqual(self.client.get(self.url)["X-Cache"], "hit")
        draft.status = Incident.Status.PUBLISHED
        draft.save()
        r = self.client.get(self.url)
        self.assertEqual(r["X-Cache"], "miss")
        self.assertContains(r, "Mozhaysk")

    def test_changing_a_place_or_deleting_a_source_invalidates(self):
        self.client.get(self.url)
        version = record_version()
        self.place.name = "Ramenskoïe"
        self.place.save()
        self.assertNotEqual(record_version(), version)
        self.assertContains(self.client.get(self.url), "Ramenskoïe")
        version = record_version()
        make_source(self.incident).delete()
        self.assertNotEqual(record_version(), version)

    def test_a_matching_etag_gets_304(self):
        etag = self.client.get(self.url)["ETag"]
        r = self.client.get(self.url, headers={"If-None-Match": etag})
        self.assertEqual(r.status_code, 304)
        self.assertEqual(r.content, b"")
        r = self.client.get(self.url, headers={"If-None-Match": '"other"'})
        self.assertEqual(r.status_code, 200)

    def test_the_query_string_and_the_language_are_part_of_the_key(self):
        self.client.get(self.url)
        self.assertEqual(self.client.get(self.url + "?page=1")["X-Cache"], "miss")
        r = self.client.get(self.url, headers={"Accept-Language": "fr"})
        self.assertEqual(r["X-Cache"], "miss")

    def test_logged_in_users_are_never_served_from_or_stored_in_it(self):
        self.client.get(self.url)  # stored for anonymous readers
        self.client.force_login(make_user())
        r = self.client.get(self.url)
        self.assertNotIn("X-Cache", r)
        self.client.logout()
        # A token client's request also bypasses it.
        r = self.client.get(self.url, headers={"Authorization": "Token abc"})
        self.assertNotIn("X-Cache", r)

    def test_detail_and_place_pages_are_cached(self):
        for url in (self.incident.get_absolute_url(), self.place.get_absolute_url()):
            self.assertEqual(self.client.get(url)["X-Cache"], "miss")
            self.assertEqual(self.client.get(url)["X-Cache"], "hit")

    def test_a_missing_page_is_not_stored(self):
        url = reverse("incidents:detail", args=["nosuchid00"])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 404)


class CachePublicDecoratorTests(TestCase):
    factory = RequestFactory()

    def _calls(self, view, n=2, **kwargs):
        calls = []

        @cache_public(60)
        def wrapped(request):
            calls.append(1)
            return view(request)

        for _ in range(n):
            response = wrapped(self.factory.get("/x/", **kwargs))
        return len(calls), response

    def test_plain_responses_are_stored(self):
        calls, response = self._calls(lambda r: HttpResponse("hello"))
        self.assertEqual(calls, 1)
        self.assertEqual(response["X-Cache"], "hit")

    def test_responses_carrying_a_csrf_token_are_not_stored(self):
        def with_form(request):
            return HttpResponse(
                f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">'
            )

        calls, response = self._calls(with_form)
        self.assertEqual(calls, 2)
        self.assertNotIn("X-Cache", response)

    def test_responses_setting_a_cookie_are_not_stored(self):
        def with_cookie(request):
            response = HttpResponse("hello")
            response.set_cookie("seen", "1")
            return response

        calls, _ = self._calls(with_cookie)
        self.assertEqual(calls, 2)

    def test_unsafe_methods_are_never_cached(self):
        calls = []

        @cache_public(60)
        def view(request):
            calls.append(1)
            return HttpResponse("ok")

        view(self.factory.post("/x/"))
        view(self.factory.post("/x/"))
        self.assertEqual(len(calls), 2)

    def test_the_accept_header_is_part_of_the_key(self):
        calls = []

        @cache_public(60)
        def view(request):
            calls.append(1)
            return HttpResponse(request.headers.get("Accept", ""))

        view(self.factory.get("/x/", HTTP_ACCEPT="application/json"))
        r = view(self.factory.get("/x/", HTTP_ACCEPT="text/html"))
        self.assertEqual(len(calls), 2)
        self.assertEqual(r.content, b"text/html")


class CachePublicMixinTests(TestCase):
    """The mixin on a DRF view, as the API's read endpoints use it."""

    def test_an_anonymous_api_read_is_cached_and_invalidated(self):
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from incidents.cache import CachePublicMixin

        class CountView(CachePublicMixin, APIView):
            queryset = Incident.objects.public()

            def get(self, request):
                return Response({"count": Incident.objects.public().count()})

        view = CountView.as_view()
        factory = RequestFactory()

        def get():
            response = view(
                factory.get("/api/v1/count/", HTTP_ACCEPT="application/json")
            )
            if hasattr(response, "render"):
                response.render()
            return response

        first = get()
        self.assertEqual(first["X-Cache"], "miss")
        self.assertJSONEqual(first.content, {"count": 0})
        with self.assertNumQueries(0):
            second = get()
        self.assertEqual(second["X-Cache"], "hit")
        self.assertJSONEqual(second.content, {"count": 0})
        make_incident()
        third = get()
        self.assertEqual(third["X-Cache"], "miss")
        self.assertJSONEqual(third.content, {"count": 1})
        # A token client gets its own, uncached answer.
        response = view(factory.get("/api/v1/count/", HTTP_AUTHORIZATION="Token nope"))
        self.assertNotIn("X-Cache", response)
