"""Forms of the reviews pages. Each collects one service's arguments; the services do the checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safetynet.intake.models import CATEGORIES
from safetynet.reviews.models import PeriodicReview

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
TEXT = forms.TextInput(attrs={"class": "form-control"})
MONEY = forms.NumberInput(attrs={"class": "form-control", "step": "0.01", "min": "0"})


def _on_field(label: str = "办理日期") -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate,
                           help_text="默认今天；补录时填写实际办理的日期")


class ReviewForm(forms.Form):
    """定期核查: the outcome, why, and for 调整 the new categories and amounts."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the status version read
    on = _on_field("核查日期")
    outcome = forms.ChoiceField(label="核查结果", choices=PeriodicReview.Outcome.choices,
                                widget=forms.RadioSelect)
    reason = forms.CharField(label="理由（核查所见、收入变化、依据）", widget=AREA, max_length=2000)
    categories = forms.MultipleChoiceField(label="调整后的救助类别（仅“调整类别或金额”填写）", required=False,
                                           choices=list(CATEGORIES.items()), widget=forms.CheckboxSelectMultiple)
    dibao_monthly = forms.DecimalField(label="调整后的低保金（元/月）", required=False, min_value=0,
                                       max_digits=12, decimal_places=2, widget=MONEY)
    tekun_monthly = forms.DecimalField(label="调整后的特困供养金（元/月）", required=False, min_value=0,
                                       max_digits=12, decimal_places=2, widget=MONEY)

    def change(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"categories": data["categories"], "dibao_monthly": data["dibao_monthly"] or 0,
                "tekun_monthly": data["tekun_monthly"] or 0}


class VerifyForm(forms.Form):
    on = _on_field("核实日期")
    staff_names = forms.CharField(label="核实人员（每行一人，至少2人）", widget=AREA, max_length=500)
    findings = forms.CharField(label="核实情况（收入来源及稳定性、两不愁三保障、饮水安全）", widget=AREA,
                               max_length=4000)

    def names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["staff_names"].splitlines() if line.strip()]


class StepForm(forms.Form):
    """Every step of a 风险消除 case carries the page's version (stale pages are refused) and a date."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = _on_field()


class ReasonForm(StepForm):
    reason = forms.CharField(label="意见/理由", widget=AREA, max_length=2000, required=False)


class ObjectionForm(StepForm):
    content = forms.CharField(label="异议内容", widget=AREA, max_length=4000)
