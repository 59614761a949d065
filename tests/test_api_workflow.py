"""The editorial workflow through the API: the admin's rules, nothing looser."""

from django.urls import reverse
from rest_framework import status

from incidents.models import Incident
from tests.api_base import ApiTestCase
from tests.factories import make_incident, make_user


def _action(incident, name):
    return reverse(f"api:incident-{name}", args=[incident.public_id])


def _detail(incident):
    return reverse("api:incident-detail", args=[incident.public_id])


class WorkflowActionTests(ApiTestCase):
    def setUp(self):
        self.own_draft = make_incident(
            status=Incident.Status.DRAFT, created_by=self.journalist
        )
        self.own_review = make_incident(
            status=Incident.Status.IN_REVIEW, created_by=self.journalist
        )

    def _status(self, incident):
        incident.refresh_from_db()
        return incident.status

    def test_a_journalist_submits_their_own_draft(self):
        self.as_journalist()
        r = self.client.post(_action(self.own_draft, "submit"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(r.json()["status"], "in_review")
        self.assertEqual(self._status(self.own_draft), Incident.Status.IN_REVIEW)
        self.assertEqual(self.own_draft.updated_by, self.journalist)

    def test_a_journalist_cannot_submit_someone_elses_draft(self):
        self.as_journalist()
        r = self.client.post(_action(self.draft, "submit"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)
        self.assertIn("not allowed", r.json()["detail"])
        self.assertEqual(self._status(self.draft), Incident.Status.DRAFT)

    def test_only_editors_publish_unpublish_and_retract(self):
        self.as_journalist()
        for name, incident in (
            ("publish", self.own_review),
            ("unpublish", self.ukraine),
            ("retract", self.ukraine),
        ):
            with self.subTest(name):
                before = self._status(incident)
                r = self.client.post(
                    _action(incident, name), {"reason": "Because."}, format="json"
                )
                self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)
                self.assertIn("Only editors", r.json()["detail"])
                self.assertEqual(self._status(incident), before)

    def test_anonymous_and_readers_can_never_publish(self):
        url = _action(self.own_review, "publish")
        r = self.client.post(url, {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_401_UNAUTHORIZED)
        self.as_reader()
        r = self.client.post(url, {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)
        self.assertEqual(self._status(self.own_review), Incident.Status.IN_REVIEW)
        self.assertFalse(Incident.objects.public().filter(pk=self.own_review.pk))

    def test_status_in_an_update_body_is_ignored(self):
        self.as_journalist()
        r = self.client.patch(
            _detail(self.own_review),
            {"status": "published", "published_at": "2024-11-10T00:00:00Z"},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(r.json()["status"], "in_review")
        self.assertEqual(self._status(self.own_review), Incident.Status.IN_REVIEW)
        self.assertIsNone(self.own_review.published_at)
        self.client.credentials()
        r = self.client.patch(
            _detail(self.own_review), {"status": "published"}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_401_UNAUTHORIZED)
        self.assertEqual(self._status(self.own_review), Incident.Status.IN_REVIEW)

    def test_an_editor_publishes_an_incident_in_review(self):
        self.as_editor()
        r = self.client.post(_action(self.own_review, "publish"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(r.json()["status"], "published")
        self.assertIsNotNone(r.json()["published_at"])
        self.assertEqual(self._status(self.own_review), Incident.Status.PUBLISHED)

    def test_refused_moves_answer_400_with_the_models_message(self):
        self.as_editor()
        no_source = make_incident(status=Incident.Status.IN_REVIEW, sources=[])
        r = self.client.post(_action(no_source, "publish"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("at least one source", r.json()["status"][0])
        self.assertEqual(self._status(no_source), Incident.Status.IN_REVIEW)

        r = self.client.post(_action(self.own_draft, "publish"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("cannot go from", r.json()["status"][0])
        self.assertEqual(self._status(self.own_draft), Incident.Status.DRAFT)

        r = self.client.post(_action(self.ukraine, "retract"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("needs a reason", r.json()["reason"][0])
        self.assertEqual(self._status(self.ukraine), Incident.Status.PUBLISHED)

        r = self.client.post(
            _action(self.ukraine, "retract"), {"reason": "x" * 101}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("reason", r.json())
        self.assertEqual(self._status(self.ukraine), Incident.Status.PUBLISHED)

        r = self.client.post(_action(self.own_draft, "unpublish"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("status", r.json())

        r = self.client.post(_action(self.ukraine, "publish"), [1], format="json")
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)

    def test_retraction_shows_its_reason_in_the_history(self):
        self.as_editor()
        r = self.client.post(
            _action(self.ukraine, "retract"),
            {"reason": "The strike was a hoax."},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(r.json()["status"], "retracted")
        self.assertEqual(r.json()["retraction_reason"], "The strike was a hoax.")
        self.client.credentials()
        history = self.client.get(
            reverse("api:incident-history", args=[self.ukraine.public_id])
        ).json()
        self.assertEqual(history["retraction_reason"], "The strike was a hoax.")
        self.assertEqual(
            [(e["kind"], e["reason"]) for e in history["results"]],
            [("retraction", "The strike was a hoax.")],
        )

    def test_unpublish_takes_the_incident_off_the_public_record(self):
        self.as_editor()
        r = self.client.post(
            _action(self.ukraine, "unpublish"), {"reason": "Checks."}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertEqual(self._status(self.ukraine), Incident.Status.DRAFT)
        self.client.credentials()
        self.assertEqual(
            self.client.get(_detail(self.ukraine)).status_code,
            status.HTTP_404_NOT_FOUND,
        )

    def test_a_stale_version_on_a_move_is_a_conflict(self):
        self.as_editor()
        read = self.own_review.version
        self.own_review.summary = "Edited meanwhile."
        self.own_review.save()
        r = self.client.post(
            _action(self.own_review, "publish"), {"version": read}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_409_CONFLICT)
        self.assertIn("Someone else saved", r.json()["detail"])
        self.assertEqual(r.json()["version"], read + 1)
        self.assertEqual(self._status(self.own_review), Incident.Status.IN_REVIEW)
        r = self.client.post(
            _action(self.own_review, "publish"), {"version": read + 1}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)

    def test_a_superuser_may_publish(self):
        root = make_user("root", superuser=True)
        self.client.force_authenticate(root)
        r = self.client.post(_action(self.own_review, "publish"), {}, format="json")
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)


class EditRuleTests(ApiTestCase):
    def setUp(self):
        self.own_draft = make_incident(
            status=Incident.Status.DRAFT, created_by=self.journalist
        )

    def test_a_journalist_edits_only_their_own_unpublished_incidents(self):
        self.as_journalist()
        r = self.client.patch(
            _detail(self.own_draft), {"summary": "Mine."}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        for incident in (self.draft, self.ukraine):
            with self.subTest(incident.status):
                r = self.client.patch(
                    _detail(incident),
                    {"summary": "Not mine.", "change_reason": "x"},
                    format="json",
                )
                self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)
                self.assertIn("only your own drafts", r.json()["detail"])
                incident.refresh_from_db()
                self.assertNotEqual(incident.summary, "Not mine.")
        # Once published, even their own incident is an editor's to change.
        self.own_draft.refresh_from_db()
        self.own_draft.status = Incident.Status.PUBLISHED
        self.own_draft.save()
        r = self.client.put(
            _detail(self.own_draft),
            {"summary": "Later.", "change_reason": "x"},
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_403_FORBIDDEN)

    def test_a_published_incident_changes_only_with_a_reason(self):
        self.as_editor()
        r = self.client.patch(
            _detail(self.ukraine), {"summary": "Revised."}, format="json"
        )
        self.assertEqual(r.status_code, status.HTTP_400_BAD_REQUEST)
        self.assertIn("say why", r.json()["change_reason"][0])
        self.ukraine.refresh_from_db()
        self.assertEqual(self.ukraine.summary, "Overnight drone attack.")
        # Drafts never published need none.
        r = self.client.patch(_detail(self.draft), {"summary": "Ok."}, format="json")
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)

    def test_the_reason_shows_in_every_corrections_view(self):
        self.as_editor()
        r = self.client.patch(
            _detail(self.ukraine),
            {
                "summary": "Revised summary.",
                "places": [{"slug": "kyiv-ua", "role": "interception"}],
                "change_reason": "Air Force update.",
            },
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.assertNotIn("change_reason", r.json())
        self.client.credentials()
        history = self.client.get(
            reverse("api:incident-history", args=[self.ukraine.public_id])
        ).json()["results"]
        self.assertEqual({e["reason"] for e in history}, {"Air Force update."})
        fields = [e["field"] for e in history]
        self.assertIn("summary", fields)
        self.assertIn("place added", fields)
        self.assertIn("place removed", fields)
        for url in (
            reverse("incidents:corrections"),
            self.ukraine.get_absolute_url(),
        ):
            with self.subTest(url):
                page = self.client.get(url)
                self.assertContains(page, "Air Force update.")

    def test_unchanged_nested_rows_leave_no_correction(self):
        self.as_editor()
        current = self.client.get(_detail(self.ukraine)).json()
        r = self.client.patch(
            _detail(self.ukraine),
            {
                "summary": "Only this.",
                "places": [
                    {"slug": p["slug"], "role": p["role"]} for p in current["places"]
                ],
                "weapon_lines": current["weapon_lines"],
                "sources": current["sources"],
                "change_reason": "Wording.",
            },
            format="json",
        )
        self.assertEqual(r.status_code, status.HTTP_200_OK, r.content)
        self.client.credentials()
        history = self.client.get(
            reverse("api:incident-history", args=[self.ukraine.public_id])
        ).json()["results"]
        self.assertEqual([e["field"] for e in history], ["summary"])


class WorkflowSchemaTests(ApiTestCase):
    def test_actions_and_their_answers_are_documented_with_examples(self):
        schema = self.client.get(reverse("api-schema"), {"format": "json"}).json()
        paths = schema["paths"]
        for name in ("submit", "publish", "unpublish", "retract"):
            with self.subTest(name):
                operation = paths[f"/api/v1/incidents/{{public_id}}/{name}/"]["post"]
                self.assertEqual(operation["operationId"], f"incidents_{name}")
                self.assertLessEqual(
                    {"200", "400", "401", "403", "404", "409"},
                    set(operation["responses"]),
                )
                body = operation["requestBody"]["content"]["application/json"]
                self.assertIn("examples", body)
        for method in ("put", "patch"):
            operation = paths["/api/v1/incidents/{public_id}/"][method]
            self.assertIn("409", operation["responses"])
        write = schema["components"]["schemas"]["IncidentRequest"]["properties"]
        self.assertIn("change_reason", write)
        self.assertNotIn("status", write)
        for path in (
            "/api/v1/incidents/{public_id}/history/",
            "/api/v1/changes/",
            "/api/v1/extract/",
        ):
            self.assertIn(path, paths)
