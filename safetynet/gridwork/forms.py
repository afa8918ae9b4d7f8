"""The visit form, made for a phone: big choices, one column. It checks shape; the services check the rest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from safetynet.gridwork import services
from safetynet.gridwork.models import CHECKLIST, Check
from safetynet.intake.forms import MultiFileField, MultiFileInput
from safetynet.intake.models import Application
from safetynet.monitoring.models import Alert

NO_CLOSE = ""
APPLICATION_REQUIRED = "办理结果为“已启动救助申请”时，请在“启动的救助申请”中选择本户的申请（没有申请的，先保存走访并提出申请）"


class PhotoInput(MultiFileInput):
    """The phone's camera opens directly (capture); a gallery photo can still be chosen on most phones."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-control form-control-lg", "multiple": True, "accept": "image/*",
                                "capture": "environment"})


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", initial=timezone.localdate, required=False,
                                 widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-lg"},
                                                        format="%Y-%m-%d"),
                                 error_messages={"invalid": "“走访日期”格式不对：请填写如 2025-09-01 的日期"})
    notes = forms.CharField(label="走访情况", required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    photos = MultiFileField(label="现场照片（可拍多张）", required=False, widget=PhotoInput())
    alert = forms.IntegerField(required=False, widget=forms.HiddenInput)
    alert_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    raise_alert = forms.BooleanField(label="发现风险，发起预警（主动发现）", required=False)
    finding = forms.CharField(label="发现的情况", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    close_outcome = forms.ChoiceField(label="本次核实后，预警的办理结果", required=False,
                                      choices=[(NO_CLOSE, "暂不办结（继续核实）"), *Alert.Outcome.choices],
                                      widget=forms.RadioSelect)
    close_reason = forms.CharField(label="结果说明", required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))
    close_application = forms.TypedChoiceField(label="启动的救助申请", required=False, coerce=int, empty_value=None,
                                               widget=forms.Select(attrs={"class": "form-select form-select-lg"}))
    apply = forms.BooleanField(label="保存后为该户提出救助申请", required=False)

    def __init__(self, *args: Any, applications: Sequence[Application] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = {a.pk: a for a in applications}
        self.fields["close_application"].choices = [("", "（选择本户的申请）")] + [
            (a.pk, f"{a.number}（{a.get_state_display()}）") for a in applications]
        for item, label in CHECKLIST.items():
            self.fields[item] = forms.ChoiceField(label=label, choices=Check.choices, required=False,
                                                  widget=forms.RadioSelect)
            self.fields[f"{item}_note"] = forms.CharField(
                label=f"{label}说明", required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}))

    def clean(self) -> dict[str, Any]:
        """Every checklist item answered and every risk described; all problems at once, each on its field."""
        data = super().clean()
        for item, label in CHECKLIST.items():
            answer, note = data.get(item), (data.get(f"{item}_note") or "").strip()
            if answer not in Check.values:
                self.add_error(item, services.CHECK_MISSING.format(label=label))
            elif answer == Check.RISK and not note:
                self.add_error(f"{item}_note", services.RISK_NEEDS_NOTE.format(label=label))
        if data.get("raise_alert") and not (data.get("finding") or "").strip():
            self.add_error("finding", services.FINDING_REQUIRED)
        outcome = data.get("close_outcome")
        if outcome == Alert.Outcome.APPLICATION_STARTED and not data.get("close_application"):
            self.add_error("close_application", APPLICATION_REQUIRED)
        elif outcome and outcome != Alert.Outcome.APPLICATION_STARTED and not (data.get("close_reason") or "").strip():
            self.add_error("close_reason", services.REASON_REQUIRED)
        return data

    def application(self) -> Application | None:
        return self.applications.get(self.cleaned_data.get("close_application") or 0)

    def checks(self) -> dict[str, tuple[str, str]]:
        return {item: (self.cleaned_data[item], self.cleaned_data[f"{item}_note"]) for item in CHECKLIST}

    def rows(self) -> list[tuple[str, str, Any, Any]]:
        """(item, label, answer field, note field) for the template, in checklist order."""
        return [(item, label, self[item], self[f"{item}_note"]) for item, label in CHECKLIST.items()]


class RaiseAlertForm(forms.Form):
    finding = forms.CharField(label="发现的情况", max_length=2000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                              error_messages={"required": services.FINDING_REQUIRED})
