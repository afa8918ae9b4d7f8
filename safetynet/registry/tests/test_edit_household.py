"""Creating a household and editing its assets, spending, living conditions, mark and obligors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import id_number
from safetynet.core.document import ObligorDoc, VehicleDoc
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, Member
from safetynet.registry.services import household_save
from safetynet.registry.tests.edit_pages import member_pk, shown, url

HEAD = {
    "head-name": "赵大勇", "head-co_resident": "on", "head-excluded": "", "head-schooling": "none",
    "head-disability_kind": "", "head-disability_grade": "", "head-labor": "full", "head-illness": "none",
    "head-employment": "farming", "head-self_care_failed": "0", "head-medical_insured": "on",
    "head-income_wages": "", "head-income_business": "5000", "head-income_property": "",
    "head-income_transfer": "", "head-income_excluded": "",
}


def create(client, region, **fields):
    data = {"region": region, "residence": "rural", "address": "坦途村五组",
            "head-id_number": id_number(date(1970, 2, 3)), **HEAD, **fields}
    return client.post(url("household_create"), data)


def edit_data(client, household):
    return shown(client, url("household_edit", household.pk), "form", "vehicles", "obligors")


def test_clerk_creates_a_household_with_its_head(client, cast, regions):
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = create(client, "220821101200002")
    # then
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == url("household_detail", household.pk)
    assert household.region_id == "220821101200002" and household.version == 1
    assert household.head_name == "赵大勇" and household.code == "2208211012000001"
    assert household_document(household).head.income.business == Decimal(5000)


def test_region_choice_offers_only_villages_and_grids_in_scope(client, cast, regions):
    client.force_login(cast["clerk_a"])
    choices = dict(client.get(url("household_create")).context["form"].fields["region"].choices)
    assert [code for code, _label in choices["坦途镇"]] == ["220821101200", "220821101200001", "220821101200002"]
    assert "东屏镇" not in choices


def test_household_in_a_region_outside_scope_is_refused(client, cast, regions):
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = create(client, "220821102200")
    # then
    assert response.status_code == 422
    assert "所在村（社区）或网格：" in response.content.decode()
    assert not Household.objects.exists() and not Member.objects.exists()


def test_new_household_with_an_invalid_head_lists_every_error(client, cast, regions):
    client.force_login(cast["clerk_a"])
    response = create(client, "", **{"head-id_number": "22082119700203", "head-income_wages": "-1"})
    content = response.content.decode()
    assert response.status_code == 422
    assert "户主·身份证号：身份证号应为18位，当前为14位" in content
    assert "户主·工资性收入（元/年）：金额不能为负数" in content
    assert "所在村（社区）或网格：" in content
    assert not Household.objects.exists() and not Member.objects.exists()


def test_editing_assets_spending_living_and_obligors(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    # when
    response = client.post(url("household_edit", household_a.pk), {
        **data, "deposits": "20000", "urban_houses": "1", "rigid_medical": "3500.5", "housing_grade": "C",
        "water_safe": "", "monitoring_object": "on", "monitoring_kind": "marginal",
        "vehicles-0-kind": "farm", "vehicles-0-value": "15000",
        "obligors-0-name": "王大山", "obligors-0-supports": ["王建国"], "obligors-0-age": "72",
        "obligors-0-status": "normal", "obligors-0-annual_income": "3000",
    })
    # then
    assert response.status_code == 302
    household_a.refresh_from_db()
    doc = household_document(household_a)
    assert doc.assets.deposits == 20000 and doc.assets.urban_houses == 1
    assert [(v.kind, v.value) for v in doc.assets.vehicles] == [("farm", Decimal(15000))]
    assert doc.rigid_expenses.medical == Decimal("3500.50")
    assert doc.living.housing_grade == "C" and doc.living.water_safe is False
    assert doc.monitoring.object and doc.monitoring.kind == "marginal"
    assert [(o.name, o.supports, o.age) for o in doc.obligors] == [("王大山", ["王建国"], 72)]
    assert household_a.version == 2 and len(doc.members) == 3


def test_a_vehicle_row_is_removed_with_its_delete_box(client, cast, household_a):
    # given: two vehicles on record
    doc = household_document(household_a)
    doc.assets.vehicles = [VehicleDoc(kind="car", value=Decimal(30000)), VehicleDoc(kind="motorcycle", value=Decimal(2000))]
    household_save(document=doc, household=household_a, by=cast["clerk_a"], expected_version=1)
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    # when
    response = client.post(url("household_edit", household_a.pk), {**data, "vehicles-0-DELETE": "on"})
    # then
    assert response.status_code == 302
    assert [v.kind for v in household_document(household_a).assets.vehicles] == ["motorcycle"]


def test_refused_amounts_and_rows_name_their_field_and_save_nothing(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    # when
    response = client.post(url("household_edit", household_a.pk), {
        **data, "deposits": "-100", "monitoring_kind": "sudden",
        "vehicles-0-kind": "car", "vehicles-0-value": "-1",
        "obligors-0-name": "王大山", "obligors-0-age": "200", "obligors-0-status": "normal",
    })
    # then
    content = response.content.decode()
    assert response.status_code == 422
    assert "存款及有价证券（元）：金额不能为负数" in content
    assert "监测类型：未标识为监测对象（object: false）时不能填写监测类型" in content
    assert "车辆第1行·价值（元）：金额不能为负数" in content
    assert "赡养义务人第1行·年龄（岁）：应在0到130之间" in content
    household_a.refresh_from_db()
    assert household_a.version == 1 and household_a.deposits == 0 and not household_a.vehicles.exists()


def test_household_edit_begun_before_another_save_is_refused(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    meanwhile = household_document(household_a)
    meanwhile.assets.deposits = Decimal(500)
    household_save(document=meanwhile, household=household_a, by=cast["county_civil"], expected_version=1)
    # when
    response = client.post(url("household_edit", household_a.pk), {**data, "address": "坦途村六组"})
    # then
    assert response.status_code == 422
    assert "该户信息已被他人修改" in response.content.decode()
    household_a.refresh_from_db()
    assert household_a.version == 2 and household_a.address == "" and household_a.deposits == 500


def test_moving_the_household_to_a_village_outside_scope_is_refused(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    response = client.post(url("household_edit", household_a.pk), {**data, "region": "220821102200001"})
    assert response.status_code == 422
    household_a.refresh_from_db()
    assert household_a.region_id == "220821101200001" and household_a.version == 1


def test_saving_the_page_keeps_what_it_does_not_show(client, cast, household_a):
    # given: an obligor recorded with an ID number (from an import), which the page does not show
    doc = household_document(household_a)
    doc.obligors = [ObligorDoc(name="王大山", supports=["王建国"], age=70, id_number=id_number(date(1955, 1, 1)))]
    household_save(document=doc, household=household_a, by=cast["county_civil"], expected_version=1)
    client.force_login(cast["clerk_a"])
    data = edit_data(client, household_a)
    # when
    response = client.post(url("household_edit", household_a.pk), {**data, "address": "坦途村七组"})
    # then
    assert response.status_code == 302
    household_a.refresh_from_db()
    assert household_document(household_a).obligors == doc.obligors
    assert [c["path"] for c in household_a.changes.get(version=3).changes] == ["address"]


def test_renaming_a_member_keeps_the_obligor_supporting_them(client, cast, household_a):
    # given
    doc = household_document(household_a)
    doc.obligors = [ObligorDoc(name="王大山", supports=["王建国"], age=70)]
    household_save(document=doc, household=household_a, by=cast["county_civil"], expected_version=1)
    client.force_login(cast["clerk_a"])
    head = member_pk(household_a, "self")
    data = shown(client, url("member_edit", household_a.pk, head), "form")
    # when
    response = client.post(url("member_edit", household_a.pk, head), {**data, "name": "王健国"})
    # then
    assert response.status_code == 302
    household_a.refresh_from_db()
    assert household_document(household_a).obligors[0].supports == ["王健国"]
    assert household_a.head_name == "王健国"
