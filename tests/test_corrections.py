import datetime as dt
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.corrections import corrections_for, recent_corrections
from incidents.models import Incident, Source
from tests.factories import make_incident, make_source
from tests.test_workflow import make_editor, make_journalist

ATOM = "{http://www.w3.org/2005/Atom}"


class CorrectionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_journalist("alice")
        cls.eve = make_editor("eve")

    def published_through_workflow(self, **kw):
        incident = make_incident(
            status=Incident.Status.DRAFT, created_by=self.alice, **kw
        )
        incident.summary = "Edited before publication."
        incident.save()
        incident.submit_for_review(user=self.alice)
        incident.publish(user=self.eve)
        return incident

    def correct(self, incident, reason, **fields):
        for name, value in fields.items():
            setattr(incident, name, value)
        incident._change_reason = reason
        incident.save()

    def test_only_changes_after_first_publication_are_corrections(self):
        incident = self.published_through_workflow()
        self.assertEqual(corrections_for(incident), [])
        self.correct(incident, "Air Force update.", drones_intercepted=70)
        [entry] = corrections_for(incident)
        self.assertEqual(entry.field, "drones intercepted")
        self.assertEqual((entry.old, entry.new), ("62", "70"))
        self.assertEqual(entry.reason, "Air Force update.")
        self.assertEqual(entry.kind, "correction")

    def test_drafts_and_unpublished_incidents_have_no_public_corrections(self):
        draft = make_incident(status=Incident.Status.DRAFT)
        self.correct(draft, "x", summary="Changed.")
        self.assertEqual(corrections_for(draft), [])
        incident = self.published_through_workflow()
        self.correct(incident, "Fix.", summary="Fixed.")
        incident.unpublish(user=self.eve)
        self.assertEqual(corrections_for(incident), [])
        # The newsroom still sees the whole history.
        self.assertTrue(corrections_for(incident, public=False))

    def test_source_changes_after_publication_are_listed(self):
        incident = self.published_through_workflow()
        source = make_source(incident, title="Second report")
        source.title = "Second report (updated)"
        source._change_reason = "Headline changed."
        source.save()
        fields = [(c.field, c.old, c.new) for c in corrections_for(incident)]
        self.assertIn(("source added", "—", "Second report"), fields)
        self.assertIn(
            ("source: title", "Second report", "Second report (updated)"), fields
        )

    def test_rows_written_with_an_incident_created_published_are_not_corrections(
        self,
    ):
        incident = make_incident()  # created published, then its source
        self.assertEqual(corrections_for(incident), [])
        source = Source.objects.get(incident=incident)
        source._change_reason = "Wrong link."
        source.delete()
        [entry] = corrections_for(incident)
        self.assertEqual(entry.field, "source removed")

    def test_a_retraction_is_its_own_entry_with_the_reason(self):
        incident = self.published_through_workflow()
        incident.retract("Footage was from 2023.", user=self.eve)
        [entry] = corrections_for(incident)
        self.assertEqual(entry.kind, "retraction")
        self.assertEqual(entry.reason, "Footage was from 2023.")

    def test_the_detail_page_shows_corrections_and_retraction(self):
        incident = self.published_through_workflow()
        self.correct(incident, "Air Force update.", drones_intercepted=70)
        r = self.client.get(incident.get_absolute_url())
        self.assertContains(r, 'id="corrections"')
        self.assertContains(r, "Air Force update.")
        incident.retract("Footage was from 2023.", user=self.eve)
        r = self.client.get(incident.get_absolute_url())
        self.assertContains(r, "Retracted")
        self.assertContains(r, "Footage was from 2023.")

    def test_the_log_and_feed_list_public_corrections_only(self):
        shown = self.published_through_workflow()
        self.correct(shown, "Public fix.", summary="Public summary.")
        hidden = self.published_through_workflow()
        self.correct(hidden, "Secret fix.", summary="Withdrawn summary.")
        hidden.unpublish(user=self.eve)
        draft = make_incident(status=Incident.Status.DRAFT, summary="Draft text.")
        self.correct(draft, "Draft fix.", summary="Draft text 2.")

        r = self.client.get(reverse("incidents:corrections"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Public fix.")
        for secret in ("Secret fix.", "Withdrawn summary", "Draft"):
            self.assertNotContains(r, secret)

        r = self.client.get(reverse("incidents:corrections-feed"))
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/atom+xml"))
        feed = ET.fromstring(r.content)
        entries = feed.findall(f"{ATOM}entry")
        self.assertEqual(len(entries), 1)
        self.assertIn(shown.public_id, entries[0].find(f"{ATOM}title").text)
        self.assertNotIn(b"Secret fix.", r.content)
        self.assertNotIn(hidden.public_id.encode(), r.content)

    def test_the_log_runs_a_fixed_number_of_queries(self):
        def count():
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get(reverse("incidents:corrections"))
            self.assertEqual(r.status_code, 200)
            return len(ctx.captured_queries)

        first = self.published_through_workflow()
        self.correct(first, "Fix.", summary="Fixed.")
        few = count()
        for n in range(8):
            incident = self.published_through_workflow()
            self.correct(incident, f"Fix {n}.", summary=f"Fixed {n}.")
            make_source(incident, title=f"Added {n}")
        self.assertEqual(count(), few)

    def test_recent_corrections_newest_first_and_bounded(self):
        incidents = [self.published_through_workflow() for _ in range(3)]
        for n, incident in enumerate(incidents):
            self.correct(incident, f"Fix {n}.", summary=f"Summary {n}.")
        recent = recent_corrections(limit=2)
        self.assertEqual([c.reason for c in recent], ["Fix 2.", "Fix 1."])


class HistoryApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.eve = make_editor("eve")

    def setUp(self):
        self.incident = make_incident(status=Incident.Status.IN_REVIEW)
        self.incident.publish(user=self.eve)
        self.start = timezone.now()
        self.incident.summary = "Corrected."
        self.incident._change_reason = "Typo."
        self.incident.save()

    def test_history_of_a_public_incident(self):
        url = reverse("api:incident-history", args=[self.incident.public_id])
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["incident"], self.incident.public_id)
        [entry] = body["results"]
        self.assertEqual(entry["field"], "summary")
        self.assertEqual(entry["reason"], "Typo.")
        self.assertNotIn("who", entry)

    def test_history_of_a_draft_is_not_found(self):
        draft = make_incident(status=Incident.Status.DRAFT)
        r = self.client.get(reverse("api:incident-history", args=[draft.public_id]))
        self.assertEqual(r.status_code, 404)

    def test_changes_since_lists_corrections_retractions_and_withdrawals(self):
        url = reverse("api:changes")
        since = (self.start - dt.timedelta(seconds=1)).isoformat()
        r = self.client.get(url, {"since": since})
        self.assertEqual(r.status_code, 200)
        kinds = [e["kind"] for e in r.json()["results"]]
        self.assertEqual(kinds, ["correction"])
        other = make_incident()
        other.retract("Duplicate.", user=self.eve)
        draft = make_incident(status=Incident.Status.DRAFT)
        draft.summary = "Secret draft edit."
        draft.save()
        self.incident.unpublish(user=self.eve)
        r = self.client.get(url, {"since": since})
        results = r.json()["results"]
        self.assertEqual(
            sorted((e["incident"], e["kind"]) for e in results),
            sorted(
                [
                    (other.public_id, "retraction"),
                    (self.incident.public_id, "withdrawal"),
                ]
            ),
        )
        self.assertFalse(r.json()["has_more"])
        self.assertNotIn(draft.public_id, r.content.decode())

    def test_changes_needs_a_valid_since(self):
        for value in ("", "yesterday", "2024-13-45T00:00:00", "x" * 5000):
            r = self.client.get(reverse("api:changes"), {"since": value})
            self.assertEqual(r.status_code, 400, value)
            self.assertIn("since", r.json())
