"""Forms of the alert pages and the screening page. They check shape; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safetynet.accounts.choices import Role
from safetynet.accounts.models import User
from safetynet.intake.models import Application
from safetynet.monitoring.models import Alert

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = forms.Select(attrs={"class": "form-select"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})


class AlertStepForm(forms.Form):
    """Every step carries the version the page showed: a page opened before someone else acted is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, alert: Alert, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alert = alert
        self.initial.setdefault("version", alert.version)


class AssignForm(AlertStepForm):
    to = forms.ModelChoiceField(label="分派给", queryset=User.objects.none(), widget=SELECT,
                                help_text="本辖区的网格员、乡镇经办或乡镇审核")

    def __init__(self, *args: Any, alert: Alert, **kwargs: Any) -> None:
        super().__init__(*args, alert=alert, **kwargs)
        region = alert.region_id
        prefixes = {region[:9], region[:12], region[:15]}
        self.fields["to"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.GRID_WORKER, Role.TOWNSHIP_CLERK, Role.TOWNSHIP_REVIEWER],
            region_id__in=prefixes).order_by("role", "username")
        self.fields["to"].label_from_instance = lambda u: f"{u}（{u.get_role_display()}）"


class VerifyForm(AlertStepForm):
    pass


class CloseForm(AlertStepForm):
    outcome = forms.ChoiceField(label="办理结果", choices=Alert.Outcome.choices, widget=SELECT)
    application = forms.ModelChoiceField(label="启动的救助申请", queryset=Application.objects.none(), required=False,
                                         widget=SELECT, help_text="办理结果为“已启动救助申请”时必选")
    reason = forms.CharField(label="结果说明", required=False, widget=AREA, max_length=2000,
                             help_text="核实了什么、为什么这样处理（“已启动救助申请”可不填）")
    on = forms.DateField(label="办结日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, alert: Alert, **kwargs: Any) -> None:
        super().__init__(*args, alert=alert, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(household_id=alert.household_id).order_by(
            "-pk")
        self.fields["application"].label_from_instance = lambda a: f"{a.number}（{a.get_state_display()}）"


class ScreeningStartForm(forms.Form):
    on = forms.DateField(label="认定基准日", widget=DATE, initial=timezone.localdate,
                         help_text="按此日期的政策参数和部门数据筛查")
