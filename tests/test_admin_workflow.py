from django.test import Client, TestCase
from django.urls import reverse

from incidents.models import Incident
from tests.factories import make_incident, make_user
from tests.test_admin import CHANGELIST_URL, incident_form_data
from tests.test_workflow import make_editor, make_journalist


def change_url(incident):
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def change_data(incident, **overrides):
    """POST data for an incident's change form, as the form would send it."""
    data = incident_form_data(
        status=incident.status,
        summary=incident.summary,
        expected_version=str(incident.version),
        change_reason="",
    )
    data.update(
        {
            "sources-TOTAL_FORMS": str(incident.sources.count()),
            "sources-INITIAL_FORMS": str(incident.sources.count()),
        }
    )
    for i, source in enumerate(incident.sources.all()):
        data.update(
            {
                f"sources-{i}-id": str(source.pk),
                f"sources-{i}-incident": str(incident.pk),
                f"sources-{i}-claimant": source.claimant,
                f"sources-{i}-publisher": source.publisher,
                f"sources-{i}-url": source.url,
                f"sources-{i}-title": source.title,
            }
        )
    data.update(overrides)
    return data


class AdminWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_journalist("alice")
        cls.bob = make_journalist("bob")
        cls.eve = make_editor("eve")

    def in_review(self, **kw):
        kw.setdefault("created_by", self.alice)
        return make_incident(status=Incident.Status.IN_REVIEW, **kw)

    def test_anonymous_cannot_publish(self):
        incident = self.in_review()
        r = self.client.post(
            CHANGELIST_URL, {"action": "publish", "_selected_action": [incident.pk]}
        )
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("admin:login"), r["Location"])
        r = self.client.post(change_url(incident), change_data(incident))
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("admin:login"), r["Location"])
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)

    def test_a_journalist_has_no_publish_action_and_a_crafted_one_does_nothing(self):
        incident = self.in_review()
        self.client.force_login(self.alice)
        r = self.client.get(CHANGELIST_URL)
        actions = dict(r.context["action_form"].fields["action"].choices)
        self.assertIn("submit_for_review", actions)
        for name in ("publish", "unpublish", "retract"):
            self.assertNotIn(name, actions)
        self.client.post(
            CHANGELIST_URL, {"action": "publish", "_selected_action": [incident.pk]}
        )
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)

    def test_a_journalist_crafting_status_published_in_the_change_form_is_refused(self):
        incident = self.in_review()
        self.client.force_login(self.alice)
        r = self.client.get(change_url(incident))
        offered = [v for v, _ in r.context["adminform"].form.fields["status"].choices]
        self.assertEqual(offered, ["in_review", "draft"])
        r = self.client.post(
            change_url(incident), change_data(incident, status="published")
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Select a valid choice")
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)
        self.assertIsNone(incident.published_at)

    def test_a_journalist_cannot_edit_someone_elses_draft(self):
        incident = self.in_review(created_by=self.bob, summary="Bob's.")
        self.client.force_login(self.alice)
        r = self.client.get(change_url(incident))
        self.assertEqual(r.status_code, 200)  # read-only view
        self.assertFalse(r.context["has_change_permission"])
        r = self.client.post(change_url(incident), change_data(incident, summary="X"))
        self.assertEqual(r.status_code, 403)
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Bob's.")

    def test_a_journalist_edits_and_submits_their_own_draft_in_the_form(self):
        incident = make_incident(
            status=Incident.Status.DRAFT, created_by=self.alice, summary="Old."
        )
        self.client.force_login(self.alice)
        r = self.client.post(
            change_url(incident),
            change_data(incident, summary="New.", status="in_review"),
        )
        self.assertEqual(r.status_code, 302)
        incident.refresh_from_db()
        self.assertEqual(
            (incident.summary, incident.status), ("New.", Incident.Status.IN_REVIEW)
        )

    def test_a_journalist_adds_a_draft_and_submits_it(self):
        self.client.force_login(self.alice)
        r = self.client.post(
            reverse("admin:incidents_incident_add"), incident_form_data()
        )
        self.assertEqual(r.status_code, 302)
        incident = Incident.objects.get()
        self.assertEqual(incident.created_by, self.alice)
        self.client.post(
            CHANGELIST_URL,
            {"action": "submit_for_review", "_selected_action": [incident.pk]},
        )
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)

    def test_a_new_incident_cannot_start_published(self):
        self.client.force_login(self.eve)
        r = self.client.post(
            reverse("admin:incidents_incident_add"),
            incident_form_data(status="published"),
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Incident.objects.exists())

    def test_an_editor_publishes_but_not_without_a_source(self):
        sourced, bare = self.in_review(), self.in_review(sources=[])
        self.client.force_login(self.eve)
        r = self.client.post(
            CHANGELIST_URL,
            {"action": "publish", "_selected_action": [sourced.pk, bare.pk]},
            follow=True,
        )
        self.assertContains(r, "needs at least one source")
        sourced.refresh_from_db(), bare.refresh_from_db()
        self.assertEqual(sourced.status, Incident.Status.PUBLISHED)
        self.assertEqual(bare.status, Incident.Status.IN_REVIEW)
        r = self.client.post(change_url(bare), change_data(bare, status="published"))
        self.assertContains(r, "needs at least one source")
        bare.refresh_from_db()
        self.assertEqual(bare.status, Incident.Status.IN_REVIEW)

    def test_a_change_after_publication_needs_a_reason(self):
        incident = make_incident(summary="Old.")
        self.client.force_login(self.eve)
        r = self.client.post(
            change_url(incident), change_data(incident, summary="New.")
        )
        self.assertContains(r, "say why you are changing it")
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Old.")
        r = self.client.post(
            change_url(incident),
            change_data(incident, summary="New.", change_reason="Typo."),
        )
        self.assertEqual(r.status_code, 302)
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "New.")
        last = incident.history.first()
        self.assertEqual(last.history_change_reason, "Typo.")
        self.assertEqual(last.history_user, self.eve)

    def test_retract_action_asks_for_a_reason(self):
        incident = make_incident()
        self.client.force_login(self.eve)
        r = self.client.post(
            CHANGELIST_URL, {"action": "retract", "_selected_action": [incident.pk]}
        )
        self.assertContains(r, "Reason for the retraction")
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.PUBLISHED)
        self.client.post(
            CHANGELIST_URL,
            {
                "action": "retract",
                "_selected_action": [incident.pk],
                "confirm": "yes",
                "retraction_reason": "Footage was from 2023.",
            },
        )
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.RETRACTED)
        self.assertEqual(incident.retraction_reason, "Footage was from 2023.")


class HistoryAdminTests(TestCase):
    def test_old_versions_can_be_read_but_not_restored(self):
        eve = make_editor("eve")
        incident = make_incident(summary="First.")
        incident.summary = "Second."
        incident._change_reason = "Update."
        incident.save()
        self.client.force_login(eve)
        r = self.client.get(
            reverse("admin:incidents_incident_history", args=[incident.pk])
        )
        self.assertContains(r, "Update.")
        old = incident.history.earliest()
        url = reverse(
            "admin:incidents_incident_simple_history",
            args=[incident.pk, old.history_id],
        )
        self.assertEqual(self.client.get(url).status_code, 200)
        r = self.client.post(url, change_data(old.instance, change_reason="Revert"))
        self.assertEqual(r.status_code, 403)
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Second.")


class ConcurrentEditTests(TestCase):
    def test_the_second_save_from_a_stale_form_is_refused(self):
        alice, bob = make_editor("alice"), make_editor("bob")
        incident = make_incident(status=Incident.Status.DRAFT, summary="Start.")
        first, second = Client(), Client()
        first.force_login(alice)
        second.force_login(bob)
        # Both open the form at version 1.
        for client in (first, second):
            r = client.get(change_url(incident))
            form = r.context["adminform"].form
            self.assertEqual(form["expected_version"].value(), 1)
        data = change_data(incident)
        r = first.post(change_url(incident), {**data, "summary": "Alice's."})
        self.assertEqual(r.status_code, 302)
        r = second.post(change_url(incident), {**data, "summary": "Bob's."})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Someone else saved this incident")
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Alice's.")
        self.assertEqual(incident.version, 2)


class SuperuserTests(TestCase):
    def test_a_superuser_publishes_without_a_role(self):
        self.client.force_login(make_user(superuser=True))
        incident = make_incident(status=Incident.Status.IN_REVIEW)
        self.client.post(
            CHANGELIST_URL, {"action": "publish", "_selected_action": [incident.pk]}
        )
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.PUBLISHED)
