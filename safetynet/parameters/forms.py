"""Forms of the parameters pages: the date selector and the add-a-value form (shape only; rules in services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from safetynet.parameters.models import ParameterValue
from safetynet.parameters.selectors import above_county_labels, county_code
from safetynet.parameters.services import BAD_STATUS, NOT_A_NUMBER, REASON_REQUIRED, SOURCE_REQUIRED
from safetynet.regions.models import Region

DATE_INVALID = "日期：格式应为 YYYY-MM-DD"


class OnDateForm(forms.Form):
    on = forms.DateField(label="查看日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": DATE_INVALID})

    def day(self) -> date:
        """The chosen date; today when none or an invalid one was given (the error is shown)."""
        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class ParameterValueForm(forms.Form):
    region = forms.CharField(label="区划", max_length=15, error_messages={"required": "区划：请选择"})
    value = forms.DecimalField(label="参数值", error_messages={"required": "参数值：请填写", "invalid": NOT_A_NUMBER})
    since = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": "生效日期：请填写", "invalid": "生效日期：格式应为 YYYY-MM-DD"})
    status = forms.ChoiceField(label="状态", choices=ParameterValue.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": BAD_STATUS, "invalid_choice": BAD_STATUS})
    source = forms.CharField(label="依据（文件及条款）", max_length=300,
                             error_messages={"required": SOURCE_REQUIRED,
                                             "max_length": "依据：最多 %(limit_value)d 个字"})
    reason = forms.CharField(label="调整理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": REASON_REQUIRED,
                                             "max_length": "调整理由：最多 %(limit_value)d 个字"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"region": county_code(), "status": ParameterValue.Status.KNOWN})
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = forms.Select(choices=region_choices())
        self.fields["source"].widget.attrs["placeholder"] = "例：镇赉县民政局关于调整城乡低保标准的通知（镇民发〔2025〕N号）第二条"
        for name, field in self.fields.items():
            if name != "status":
                field.widget.attrs["class"] = "form-select" if name == "region" else "form-control"


def region_choices() -> list[tuple[str, Any]]:
    """The county first, then its townships with their villages, then the prefecture and province."""
    county = county_code()
    regions = Region.objects.filter(code__startswith=county).exclude(level=Region.Level.GRID).only("code", "name",
                                                                                                  "level")
    townships = [(r.code, r.name) for r in regions if r.level == Region.Level.TOWNSHIP]
    villages: dict[str, list[tuple[str, str]]] = {}
    for r in regions:
        if r.level == Region.Level.VILLAGE:
            villages.setdefault(r.code[:9], []).append((r.code, r.name))
    above = [(code, label) for code, label in above_county_labels().items() if code != "national"]
    county_name = next((r.name for r in regions if r.code == county), county)
    return [(county, f"{county_name}（全县）"), ("乡镇/街道", townships),
            *[(f"{name}的村/社区", villages[code]) for code, name in townships if code in villages],
            ("上级", above)]
