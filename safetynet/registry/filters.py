"""The household list's filter form: region (inside the user's scope), 城乡, monitoring mark, search."""

from __future__ import annotations

from typing import Any

from django import forms

from safetynet.accounts.scoping import region_q
from safetynet.regions.models import Region
from safetynet.registry.choices import RESIDENCE

ANY = [("", "全部")]
FILTERS = ("region", "residence", "monitoring", "query")


def region_choices_for(user: Any) -> list[Any]:
    """Townships and villages the user may see, villages grouped under their township."""
    regions = Region.objects.filter(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE]).order_by("code")
    q = region_q(user, "code")
    if q is not None:
        regions = regions.filter(q)
    choices: list[Any] = []
    group: list[tuple[str, str]] = []
    for region in regions.only("code", "name", "level"):
        if region.level == Region.Level.TOWNSHIP:
            group = [(region.code, f"{region.name}（全部）")]
            choices.append((region.name, group))
        elif group and region.code.startswith(group[0][0]):
            group.append((region.code, region.name))
        else:  # a village-level user: the township itself is out of scope
            choices.append((region.code, region.name))
    return choices


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=40)
    region = forms.ChoiceField(label="乡镇/村", required=False)
    residence = forms.ChoiceField(label="城乡", required=False, choices=ANY + RESIDENCE)
    monitoring = forms.ChoiceField(label="防返贫监测", required=False, choices=ANY + [("1", "是"), ("0", "否")])

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["region"].choices = ANY + region_choices_for(user)
        for name in ("region", "residence", "monitoring"):
            self.fields[name].widget.attrs["class"] = "form-select"

    @property
    def has_regions(self) -> bool:
        return len(self.fields["region"].choices) > 1

    def filters(self) -> dict[str, str]:
        """The valid filters as `households_for` keywords; an invalid value is dropped, not guessed."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "region": data.get("region", ""), "residence": data.get("residence", ""),
            "monitoring": data.get("monitoring", ""), "query": (data.get("q") or "").strip(),
        }
