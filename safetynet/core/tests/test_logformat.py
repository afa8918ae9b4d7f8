"""No ID number reaches the log, not even inside a traceback."""

from __future__ import annotations

import io
import logging
import logging.config

from django.conf import settings

NUMBER = "220821198503150012"


def _handler_writing_to(stream: io.StringIO) -> logging.Handler:
    config = settings.LOGGING["formatters"]["plain"]
    formatter = logging.config.DictConfigurator({}).configure_formatter(dict(config))  # as dictConfig does
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    return handler


def test_the_project_log_format_masks_id_numbers_in_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("safetynet.test.logformat")
    logger.addHandler(_handler_writing_to(stream))
    try:
        logger.error("import of %s failed", NUMBER)
        try:
            raise ValueError(f'duplicate key value: Key (id_number)=({NUMBER}) already exists')
        except ValueError:
            logger.exception("job failed")
    finally:
        logger.handlers.clear()
    text = stream.getvalue()
    assert NUMBER not in text
    assert text.count("220821********0012") == 2 and "ValueError" in text
