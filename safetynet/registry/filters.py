"""The household list's filter form: region (inside the user's scope), 城乡, monitoring mark, search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils.safestring import mark_safe

from safetynet.accounts.scoping import ALL_REGIONS, region_prefixes_for, region_q
from safetynet.core.templatetags.safetynet_ui import options_html
from safetynet.regions.models import Region
from safetynet.registry.choices import RESIDENCE

ANY = [("", "全部")]
REGION_CACHE_SECONDS = 300


def region_choices_for(user: Any) -> tuple[list[Any], str]:
    """Townships and villages the user may see, villages grouped under their township, and their
    <option>s as HTML.

    Cached for a few minutes per scope: the whole county has ~180 of them, shown on every list page.
    """
    prefixes = region_prefixes_for(user)
    key = "region-choices:" + ("*" if prefixes is ALL_REGIONS else ",".join(prefixes))  # type: ignore[arg-type]

    def build() -> tuple[list[Any], str]:
        choices = ANY + _region_choices(region_q(user, "code"))
        return choices, options_html(choices)

    return cache.get_or_set(key, build, REGION_CACHE_SECONDS)


def _region_choices(scope: Q | None) -> list[Any]:
    regions = Region.objects.filter(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE])
    if scope is not None:
        regions = regions.filter(scope)
    choices: list[Any] = []
    group: list[tuple[str, str]] = []
    for code, name, level in regions.order_by("code").values_list("code", "name", "level"):
        if level == Region.Level.TOWNSHIP:
            group = [(code, f"{name}（全部）")]
            choices.append((name, group))
        elif group and code.startswith(group[0][0]):
            group.append((code, name))
        else:  # a village-level user: the township itself is out of scope
            choices.append((code, name))
    return choices


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=40)
    # A CharField checked against the cached choices: a ChoiceField re-normalises ~180 choices a request.
    region = forms.CharField(label="乡镇/村", required=False, max_length=15)
    residence = forms.ChoiceField(label="城乡", required=False, choices=ANY + RESIDENCE)
    monitoring = forms.ChoiceField(
        label="防返贫监测", required=False, choices=ANY + [("1", "是"), ("0", "否")]
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.region_choices, self._region_options = region_choices_for(user)

    def clean_region(self) -> str:
        code = self.cleaned_data["region"]
        offered = {
            value
            for group in self.region_choices
            for value, _label in (group[1] if isinstance(group[1], list) else [group])
        }
        if code not in offered:
            raise forms.ValidationError("不在可选范围内")
        return code

    @property
    def region_options(self) -> str:
        """The cached <option>s, with the chosen one (a code from the choices) marked."""
        chosen = self.cleaned_data.get("region") if hasattr(self, "cleaned_data") else ""
        if not chosen:
            return mark_safe(self._region_options)
        return mark_safe(self._region_options.replace(f'value="{chosen}"', f'value="{chosen}" selected', 1))

    @property
    def has_regions(self) -> bool:
        return len(self.region_choices) > 1

    def filters(self) -> dict[str, str]:
        """The valid filters as `households_for` keywords; an invalid value is dropped, not guessed."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "region": data.get("region", ""),
            "residence": data.get("residence", ""),
            "monitoring": data.get("monitoring", ""),
            "query": (data.get("q") or "").strip(),
        }
