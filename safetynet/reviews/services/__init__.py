"""Every write of the reviews app: periodic reviews (定期核查) and 风险消除, one service per step."""

from safetynet.reviews.services.elimination import (
    elimination_confirm,
    elimination_notice,
    elimination_objection_record,
    elimination_publicity_start,
    elimination_refuse,
    elimination_verify,
)
from safetynet.reviews.services.periodic import periodic_review_record

__all__ = [
    "elimination_confirm", "elimination_notice", "elimination_objection_record", "elimination_publicity_start",
    "elimination_refuse", "elimination_verify", "periodic_review_record",
]
