from __future__ import annotations

from typing import Any

from django import forms

from safetynet.feeds.spec import SourceSpec


class UploadForm(forms.Form):
    source = forms.ChoiceField(label="数据来源")
    file = forms.FileField(label="数据文件（.xlsx 或 .csv）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}))

    def __init__(self, *args: Any, sources: list[SourceSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.source, s.title) for s in sources]
