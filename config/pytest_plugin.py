"""Loaded by pytest (`-p config.pytest_plugin`) before Django is set up.

Tests run without DEBUG, so settings need a secret key; this one is only ever
used by the test suite.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
