"""Forms of the one-window pages. Each collects one service's arguments; the services do the checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.intake.models import CATEGORIES, ITEMS, TAG_LABEL, Application

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
FILE = forms.ClearableFileInput(attrs={"class": "form-control"})


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    """Several files from one input (photos of a visit)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiFileField, self).clean(f, initial) for f in files]


def _on_field(label: str = "办理日期") -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate,
                           help_text="默认今天；补录时填写实际办理的日期")


class ActionForm(forms.Form):
    """Every action form carries the page's version (stale pages are refused) and the date of the step."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = _on_field()

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.initial.setdefault("version", application.version)


class ApplicationCreateForm(forms.Form):
    requested_categories = forms.MultipleChoiceField(
        label="申请救助类别", required=False, choices=list(CATEGORIES.items()), widget=forms.CheckboxSelectMultiple)
    requested_tag = forms.BooleanField(label=f"申请纳入{TAG_LABEL}", required=False)
    applicant = forms.ChoiceField(label="申请人", widget=forms.Select(attrs={"class": "form-select"}))
    authorization = forms.FileField(label="核对授权书（签字扫描件，PDF/JPG/PNG）", required=False, widget=FILE,
                                    help_text="可暂缺：受理前须补齐，否则一次性告知补正")
    note = forms.CharField(label="申请说明", required=False, widget=AREA, max_length=2000)
    on = _on_field("申请日期")

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(m.member.id_number, f"{m.member.name}（{m.get_relation_display()}）")
                                            for m in members]


class NewHouseholdApplicationForm(ApplicationCreateForm):
    """申请 of a family not yet in the registry: the head (on the same page) applies."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, members=[], **kwargs)
        del self.fields["applicant"]


class AcceptForm(ActionForm):
    pass


class CorrectionForm(ActionForm):
    items = forms.CharField(label="需补正的全部材料（每行一项，一次性告知）", widget=AREA, max_length=4000)

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ResubmitForm(ActionForm):
    authorization = forms.FileField(label="核对授权书（补交扫描件）", required=False, widget=FILE)
    note = forms.CharField(label="补正说明", required=False, widget=AREA, max_length=2000)


class InvestigationStartForm(ActionForm):
    staff = forms.ModelMultipleChoiceField(label="调查核实人员（至少2名）", queryset=User.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff of the township, its village or grid: users whose region is a prefix of the application's.
        region = self.application.region_id
        self.fields["staff"].queryset = User.objects.filter(
            is_active=True, region_id__in=[region[:n] for n in (9, 12, 15) if len(region) >= n]
        ).order_by("username")
        self.fields["staff"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.get_role_display()}）"


class VisitForm(ActionForm):
    on = _on_field("入户日期")
    staff_names = forms.CharField(label="入户人员（姓名，每行一人或用顿号分隔，至少2人）", widget=AREA, max_length=500)
    observations = forms.CharField(label="入户所见情况", widget=AREA, max_length=4000)
    photos = MultiFileField(label="现场照片（可多张）", required=False,
                            widget=MultiFileInput(attrs={"class": "form-control", "multiple": True}))

    def names(self) -> list[str]:
        text = self.cleaned_data["staff_names"]
        for separator in "、，,;；":
            text = text.replace(separator, "\n")
        return [n.strip() for n in text.splitlines() if n.strip()]


class CompleteForm(ActionForm):
    pass


class ReviewForm(ActionForm):
    """One yes/no and an optional reason per item; the engine's proposal is the initial answer."""

    def __init__(self, *args: Any, proposal: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("1", "认定"), ("0", "不认定")]
        for item, label in ITEMS.items():
            self.fields[item] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=lambda v: v == "1", widget=forms.RadioSelect)
            self.initial.setdefault(item, "1" if proposal.get(item) else "0")
            self.fields[f"{item}_reason"] = forms.CharField(
                label=f"{label}：与系统建议不同的理由", required=False, widget=TEXT, max_length=1000)

    def decisions(self) -> dict[str, bool]:
        return {item: bool(self.cleaned_data[item]) for item in ITEMS}

    def reasons(self) -> dict[str, str]:
        return {item: self.cleaned_data[f"{item}_reason"] for item in ITEMS}

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [(item, self[item], self[f"{item}_reason"]) for item in ITEMS]


class PublicityForm(ActionForm):
    on = _on_field("公示开始日期")


class ObjectionForm(ActionForm):
    on = _on_field("异议收到日期")
    content = forms.CharField(label="异议内容", widget=AREA, max_length=4000)


class ReasonForm(ActionForm):
    reason = forms.CharField(label="理由", widget=AREA, max_length=2000)


class ConfirmForm(ActionForm):
    reason = forms.CharField(label="确认意见", required=False, widget=AREA, max_length=2000)
