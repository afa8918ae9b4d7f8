"""`POST /api/v1/assess`: the assessment of a household document, the same JSON `safetynet assess` prints.

The body is the household document itself (as for `POST /households`); the date is the query
parameter `on` (YYYY-MM-DD, default today). Parameters are the files with the values administrators
added (`effective_parameters`), as on the 认定依据 panel. Any signed-in user or token may call it: it is a
calculation on the body, no registry data is read, so nothing is recorded in the audit trail
and nothing of the document is logged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from safetynet.accounts.api_auth import api_authenticated
from safetynet.core.document import FieldError
from safetynet.core.jsonapi import error_response, json_errors, method_not_allowed, read_json
from safetynet.parameters.selectors import effective_parameters
from safetynet.registry import openapi_assess  # noqa: F401  (documents this endpoint in /openapi.json)
from safetynet.registry.assessment import DateInvalid, as_of_parse, assessment_dumps, data_assess


@api_authenticated
@json_errors
def assess(request: HttpRequest) -> HttpResponse:
    """POST a household document (optionally `?on=YYYY-MM-DD`): its assessment (200)."""
    if request.method != "POST":
        return method_not_allowed(request, ["POST"])
    try:
        on = as_of_parse(request.GET.get("on"))
    except DateInvalid as error:
        return error_response(400, [FieldError("on", str(error))])
    result = data_assess(read_json(request), on=on, params=effective_parameters())
    return HttpResponse(assessment_dumps(result), content_type="application/json")
