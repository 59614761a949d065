from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from incidents import permissions
from incidents.models import Incident, StaleVersionError
from tests.factories import make_incident, make_user


def make_journalist(username=None):
    user = make_user(username)
    user.groups.add(Group.objects.get(name="Journalist"))
    return user


def make_editor(username=None):
    user = make_user(username)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_journalist("alice")
        cls.bob = make_journalist("bob")
        cls.eve = make_editor("eve")

    def draft(self, **kw):
        return make_incident(status=Incident.Status.DRAFT, created_by=self.alice, **kw)

    def test_roles_exist_with_their_permissions(self):
        self.assertFalse(permissions.can_publish(self.alice))
        self.assertTrue(permissions.can_publish(self.eve))
        self.assertTrue(self.alice.has_perm("incidents.add_incident"))
        self.assertTrue(self.alice.has_perm("incidents.add_source"))
        self.assertFalse(self.alice.has_perm("incidents.delete_incident"))
        self.assertTrue(permissions.can_publish(make_user(superuser=True)))
        self.assertFalse(permissions.can_publish(make_user(staff=True)))

    def test_the_full_path_draft_review_published_retracted(self):
        incident = self.draft()
        incident.submit_for_review(user=self.alice)
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)
        incident.publish(user=self.eve)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.PUBLISHED)
        self.assertIsNotNone(incident.published_at)
        incident.retract("The video was from 2023.", user=self.eve)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.RETRACTED)
        self.assertEqual(incident.retraction_reason, "The video was from 2023.")

    def test_a_long_retraction_reason_is_kept_whole(self):
        incident = self.draft()
        incident.submit_for_review(user=self.alice)
        incident.publish(user=self.eve)
        reason = "The footage was filmed in another year and place. " * 6
        incident.retract(reason, user=self.eve)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.RETRACTED)
        self.assertEqual(incident.retraction_reason, reason.strip())
        note = incident.history.latest().history_change_reason
        self.assertEqual(len(note), 100)
        self.assertTrue(note.endswith("…"))

    def test_a_journalist_cannot_publish_unpublish_or_retract(self):
        incident = self.draft()
        incident.submit_for_review(user=self.alice)
        with self.assertRaises(PermissionDenied):
            incident.publish(user=self.alice)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)
        incident.publish(user=self.eve)
        for move in (incident.unpublish, lambda **kw: incident.retract("x", **kw)):
            with self.assertRaises(PermissionDenied):
                move(user=self.alice)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.PUBLISHED)

    def test_invalid_transitions_are_refused_with_a_message(self):
        incident = self.draft()
        with self.assertRaisesMessage(ValidationError, "cannot go from “draft”"):
            incident.publish(user=self.eve)
        with self.assertRaisesMessage(ValidationError, "cannot go from “draft”"):
            incident.retract("reason", user=self.eve)
        with self.assertRaisesMessage(ValidationError, "Only a “published”"):
            incident.unpublish(user=self.eve)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.DRAFT)

    def test_publishing_without_a_source_is_refused(self):
        incident = self.draft(sources=[])
        incident.submit_for_review(user=self.alice)
        with self.assertRaisesMessage(ValidationError, "needs at least one source"):
            incident.publish(user=self.eve)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.IN_REVIEW)

    def test_a_retraction_needs_a_reason(self):
        incident = make_incident()
        with self.assertRaisesMessage(ValidationError, "needs a reason"):
            incident.retract("  ", user=self.eve)
        incident.status = Incident.Status.RETRACTED
        incident.retraction_reason = ""
        with self.assertRaises(ValidationError) as caught:
            incident.full_clean()
        self.assertIn("retraction_reason", caught.exception.message_dict)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Incident.objects.filter(pk=incident.pk).update(status="retracted")

    def test_a_retraction_is_final(self):
        incident = make_incident()
        incident.retract("Wrong date.", user=self.eve)
        with self.assertRaisesMessage(ValidationError, "Only a “published”"):
            incident.unpublish(user=self.eve)
        with self.assertRaisesMessage(ValidationError, "a retraction is final"):
            Incident.check_transition(incident.status, Incident.Status.PUBLISHED)
        incident.refresh_from_db()
        self.assertEqual(incident.status, Incident.Status.RETRACTED)

    def test_edit_rights(self):
        own, other = (
            self.draft(),
            make_incident(status=Incident.Status.DRAFT, created_by=self.bob),
        )
        self.assertTrue(permissions.can_edit(self.alice, own))
        self.assertFalse(permissions.can_edit(self.alice, other))
        self.assertTrue(permissions.can_edit(self.eve, other))
        own.submit_for_review(user=self.alice)
        self.assertTrue(permissions.can_edit(self.alice, own))
        own.publish(user=self.eve)
        self.assertFalse(permissions.can_edit(self.alice, own))
        self.assertTrue(permissions.can_edit(self.eve, own))


class VersionTests(TestCase):
    def test_every_save_moves_the_version_up(self):
        incident = make_incident()
        self.assertEqual(incident.version, 1)
        incident.summary = "Edited."
        incident.save()
        incident.save(update_fields=["summary"])
        incident.refresh_from_db()
        self.assertEqual(incident.version, 3)

    def test_a_stale_copy_cannot_overwrite_a_newer_save(self):
        incident = make_incident(summary="First.")
        mine = Incident.objects.get(pk=incident.pk)
        theirs = Incident.objects.get(pk=incident.pk)
        theirs.summary = "Their edit."
        theirs.save()
        mine.summary = "My edit."
        with self.assertRaisesMessage(StaleVersionError, "Someone else saved"):
            mine.save()
        self.assertEqual(mine.version, 1)  # left as it was, for a retry
        incident.refresh_from_db()
        self.assertEqual(incident.summary, "Their edit.")
        self.assertEqual(incident.version, 2)

    def test_save_checked_compares_the_version_the_client_read(self):
        incident = make_incident()
        incident.summary = "OK."
        incident.save_checked(1)
        self.assertEqual(incident.version, 2)
        with self.assertRaises(StaleVersionError) as caught:
            incident.save_checked(1)
        self.assertEqual((caught.exception.expected, caught.exception.current), (1, 2))
        self.assertIsInstance(caught.exception, ValidationError)
