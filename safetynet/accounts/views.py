"""Sign-in and sign-out. Both outcomes of a sign-in attempt go to the audit trail, with the address."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from safetynet.audit.services import audit_record


class LoginForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "账号或密码不正确，请重新输入（区分大小写）。",
        "inactive": "此账号已停用，请联系县民政局系统管理员。",
    }


class AuditedLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(
            by=user,
            action="login",
            object_type="user",
            object_id=user.pk,
            object_label=user.username,
            region_code=user.region_id or "",
            ip_address=_client_ip(self.request),
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # Not a user yet: record the name that was typed, never the password.
        attempted = (form.data.get("username") or "").strip()[:150] or "（未填写）"
        audit_record(
            by=SimpleNamespace(username=attempted),
            action="login_failed",
            object_type="user",
            object_label=attempted,
            ip_address=_client_ip(self.request),
        )
        return super().form_invalid(form)


def _client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
