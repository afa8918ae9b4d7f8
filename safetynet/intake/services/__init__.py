"""Every step of the one-window path (一门受理), one service per transition.

Each checks role, region and order, claims the application (optimistic lock on `version`), and
records an ApplicationEvent and an AuditEvent.
"""

from safetynet.intake.services.confirmation import application_confirm, application_refuse, required_parts
from safetynet.intake.services.investigation import (
    application_investigation_complete,
    application_investigation_start,
    application_visit_record,
    current_investigation,
)
from safetynet.intake.services.reception import (
    application_accept,
    application_correction_request,
    application_create,
    application_extend,
    application_resubmit,
    application_terminate,
    application_withdraw,
)
from safetynet.intake.services.review import (
    application_objection_record,
    application_publicity_start,
    application_review_decide,
    approved_items,
    current_publicity,
    current_review,
    item_explanation,
    publicity_notice,
)

__all__ = [
    "application_accept", "application_confirm", "application_correction_request", "application_create",
    "application_extend", "application_investigation_complete", "application_investigation_start",
    "application_objection_record", "application_publicity_start", "application_refuse", "application_resubmit",
    "application_review_decide", "application_terminate", "application_visit_record", "application_withdraw",
    "approved_items", "current_investigation", "current_publicity", "current_review", "item_explanation",
    "publicity_notice", "required_parts",
]
