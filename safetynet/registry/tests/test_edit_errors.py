"""Document errors on paths a page does not show still name the field, in Chinese."""

from __future__ import annotations

from django import forms

from safetynet.core.document import FieldError
from safetynet.registry.form_errors import attach_errors, path_label

DATA = {"members": [{"name": "王建国"}, {"name": "李秀兰"}], "obligors": [{"name": "王大山"}]}


def test_document_paths_read_as_chinese_labels():
    assert path_label("members[1].income.wages", DATA) == "成员“李秀兰”的工资性收入（元/年）"
    assert path_label("members[0].disability.grade", DATA) == "成员“王建国”的残疾等级"
    assert path_label("obligors[0].supports[1]", DATA) == "第1名赡养义务人的赡养/抚养/扶养的本户成员"
    assert path_label("assets.vehicles[1].value", DATA) == "第2辆车的价值（元）"
    assert path_label("rigid_expenses.medical", DATA) == "医疗自付支出（元/年）"
    assert path_label("members", DATA) == "家庭成员"


def test_errors_on_paths_no_form_shows_go_to_the_page_with_their_label():
    # given
    page = forms.Form(data={})
    page.is_valid()
    errors = [FieldError("members[1].id_number", "与 members[0] 的身份证号重复")]
    # when
    attach_errors(errors, targets={}, fallback=page, data=DATA)
    # then
    assert page.non_field_errors() == ["成员“李秀兰”的身份证号：与成员“王建国”的身份证号重复"]
