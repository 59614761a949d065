import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # In one process every change forgets the process's copy of the record
    # version at once; re-reading it on a timer (for changes made by other
    # processes: tests/test_cache_across_workers.py) would only make query
    # counts depend on how fast the machine is.
    settings.RECORD_VERSION_SECONDS = 3600
    # Hashed static names need `collectstatic`; in-process tests use plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached public responses outlive each test's rolled-back rows.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _api_unthrottled(settings):
    # Rate limits have their own test (test_api_throttling.py); elsewhere a
    # burst of test requests must not be answered with 429.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@pytest.fixture(autouse=True)
def _fresh_record_version():
    # Each test's rolled-back transaction also rolls back the record version
    # row: forget this process's copy of it.
    from incidents.cache import forget_record_version

    forget_record_version()
    yield
    forget_record_version()
