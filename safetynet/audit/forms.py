"""The audit page's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from safetynet.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="账号", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部")] + AuditEvent.Action.choices
    )
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.CharField(
        label="对象", required=False, max_length=64, widget=forms.TextInput(attrs={"placeholder": "户编号等"})
    )

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "action" else "form-control"

    def filters(self) -> dict[str, Any]:
        """The valid filters as `audit_events_for` keywords; invalid ones are dropped and shown."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) or ("" if name not in ("since", "until") else None) for name in self.fields
        }
