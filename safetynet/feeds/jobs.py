"""Background-job handlers of the feeds app (imported by the worker at start)."""

from safetynet.feeds.services import feed_import_job  # noqa: F401 — registers the handler
