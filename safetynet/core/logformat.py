"""Log lines never carry an ID number (个人信息保护法): every one is masked as it is formatted.

Messages are written by our code without personal data, but a traceback or a database error can quote
a value (PostgreSQL: "Key (id_number)=(220821…) already exists"); the formatter masks whatever reaches
the log, message and traceback alike.
"""

from __future__ import annotations

import logging
import re

from safetynet.core.idnumber import mask_id_number

ID_LIKE = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


def mask_id_numbers(text: str) -> str:
    return ID_LIKE.sub(lambda m: mask_id_number(m.group(0).upper()), text)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_id_numbers(super().format(record))
