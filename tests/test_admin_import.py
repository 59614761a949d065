from io import StringIO
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from incidents import admin_import
from incidents.models import Incident, WeaponLine
from tests.factories import make_user
from tests.test_import_quirks import CORRUPT, QUIRKS

IMPORT_URL = reverse("admin:incidents_incident_import")
CHANGELIST_URL = reverse("admin:incidents_incident_changelist")


def upload(text, name="attacks.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class AdminImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_places", stdout=StringIO())
        cls.editor = make_user("editor", superuser=True)
        cls.viewer = make_user("viewer", staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def test_the_changelist_links_to_the_import(self):
        r = self.client.get(CHANGELIST_URL)
        self.assertContains(r, f'href="{IMPORT_URL}"')

    def test_upload_shows_the_dry_run_then_confirm_imports(self):
        r = self.client.post(IMPORT_URL, {"file": upload(QUIRKS), "status": "draft"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Dry run: what the import would do")
        self.assertContains(r, "Incidents would be created: 3")
        self.assertEqual(Incident.objects.count(), 0)
        token = r.context["token"]

        r = self.client.post(IMPORT_URL, {"confirm": "1", "token": token})
        self.assertContains(r, "Import report")
        self.assertContains(r, "Incidents created: 3")
        self.assertEqual(Incident.objects.count(), 3)
        self.assertEqual(WeaponLine.objects.count(), 4)
        incident = Incident.objects.first()
        self.assertEqual(incident.status, Incident.Status.DRAFT)
        self.assertEqual(incident.created_by, self.editor)

        # The same token cannot be used twice.
        r = self.client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
        self.assertContains(r, "That upload has expired")
        self.assertEqual(Incident.objects.count(), 3)

    def test_bad_rows_are_listed_by_line_before_confirming(self):
        r = self.client.post(IMPORT_URL, {"file": upload(CORRUPT), "status": "draft"})
        self.assertContains(r, "Rejected line 3: launched “many” is not a number")
        self.assertContains(r, "Confirm the import")
        r = self.client.post(
            IMPORT_URL, {"file": upload(CORRUPT), "status": "draft", "strict": "on"}
        )
        self.assertContains(r, "nothing was written")
        self.assertNotContains(r, "Confirm the import")
        self.assertEqual(Incident.objects.count(), 0)

    def test_a_file_of_the_wrong_format_is_a_form_error(self):
        r = self.client.post(
            IMPORT_URL, {"file": upload("a,b\n1,2\n"), "status": "draft"}
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "missing column(s)")
        self.assertNotContains(r, "Confirm the import")
        r = self.client.post(
            IMPORT_URL,
            {
                "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad"),
                "status": "draft",
            },
        )
        self.assertContains(r, "not UTF-8")

    def test_uploads_over_the_limit_are_refused(self):
        with mock.patch.object(admin_import, "MAX_UPLOAD_BYTES", 100):
            r = self.client.post(
                IMPORT_URL, {"file": upload(QUIRKS), "status": "draft"}
            )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "the limit is 100\xa0bytes")
        self.assertEqual(Incident.objects.count(), 0)

    def test_staff_without_add_permission_cannot_import(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(IMPORT_URL).status_code, 403)
        r = self.client.post(IMPORT_URL, {"file": upload(QUIRKS), "status": "draft"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(Incident.objects.count(), 0)

    def test_anonymous_users_are_sent_to_the_login(self):
        self.client.logout()
        r = self.client.get(IMPORT_URL)
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("admin:login"), r["Location"])
