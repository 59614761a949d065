"""The list queries use the indexes meant for them, as the table grows.

PostgreSQL only (the production database): 20,000 synthetic incidents from
bench/generate.py, then the plans of the queries the API really runs for its
busiest reads. A page of 50 must come from walking the newest-first index and
stopping, not from reading and sorting every row (or every incident at a busy
place), which is what made the 100,000-row benchmark slow.
"""

import io
import json
from contextlib import redirect_stdout

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from incidents.cache import record_state
from tests.test_bench_generate import generate

ROWS = 20_000

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plans of the production database"
)


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


class ListQueryPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with redirect_stdout(io.StringIO()):
            generate.main(["--incidents", str(ROWS), "--seed", "11"])

    def _page_query(self, url):
        """The SQL of the query that reads the page's incidents."""
        record_state()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["results"]), 50)
        (sql,) = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith('SELECT "incidents_incident"."id"')
        ]
        return sql

    def _plan(self, sql):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (row,) = cursor.fetchall()
        document = row[0] if isinstance(row[0], list) else json.loads(row[0])
        return list(_nodes(document[0]["Plan"]))

    def assertWalksTheRecentIndex(self, nodes):
        on_incidents = [
            n for n in nodes if n.get("Relation Name") == "incidents_incident"
        ]
        self.assertTrue(on_incidents, nodes)
        for node in on_incidents:
            self.assertEqual(node["Node Type"], "Index Scan", node)
            self.assertEqual(node["Index Name"], "incident_recent", node)
            # It stopped after about a page, far from the whole table.
            self.assertLess(node["Actual Rows"], ROWS // 10, node)
        self.assertNotIn("Sort", {n["Node Type"] for n in nodes})

    def test_the_newest_first_list(self):
        sql = self._page_query("/api/v1/incidents/?page_size=50")
        self.assertWalksTheRecentIndex(self._plan(sql))

    def test_a_busy_place_within_a_year(self):
        # Kyiv is the most frequent place of the synthetic record.
        sql = self._page_query(
            "/api/v1/incidents/?page_size=50&location=Kyiv"
            "&date_after=2024-01-01&date_before=2024-12-31"
        )
        nodes = self._plan(sql)
        self.assertWalksTheRecentIndex(nodes)
        # Places are checked per incident, not gathered for the whole record.
        links = [
            n for n in nodes if n.get("Relation Name") == "incidents_incidentlocation"
        ]
        self.assertTrue(links)
        for node in links:
            self.assertLessEqual(node["Actual Rows"], 3, node)

    def test_the_second_page(self):
        first = self.client.get(
            "/api/v1/incidents/?page_size=50", HTTP_ACCEPT="application/json"
        ).json()
        path = first["next"].split("testserver", 1)[1]
        self.assertWalksTheRecentIndex(self._plan(self._page_query(path)))
