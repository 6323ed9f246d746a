"""Code tables in the Wagtail admin: who may list, add, edit and delete; R06b and F04 through the admin."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tests import factories
from wagtail_beian.admin import codes
from wagtail_beian.models import (
    AccessMethod,
    CertificateType,
    HolidayOverride,
    OrganizerNature,
    PreApprovalCategory,
    Province,
    ServiceContent,
)
from wagtail_beian.rules import workdays
from wagtail_beian.services.preflight import preflight

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")

#: (url namespace, model, lookup of an existing seeded row, POST data of a new row)
TABLES = [
    ("wagtail_beian_provinces", Province, {"code": "11"}, {
        "code": "71", "name": "台湾", "abbreviation": "台", "legacy_abbreviations": "", "sort_order": "99",
        "is_active": "on",
    }),
    ("wagtail_beian_certificate_types", CertificateType, {"code": "passport"}, None),  # codes are fixed by the rules
    ("wagtail_beian_organizer_natures", OrganizerNature, {"code": "enterprise"}, {
        "code": "cooperative", "name": "农民专业合作社", "sort_order": "99", "is_active": "on",
        "allowed_certificate_types": "uscc",
    }),
    ("wagtail_beian_pre_approval_categories", PreApprovalCategory, {"code": "news"}, {
        "code": "online_games", "name": "网络游戏", "keywords": "游戏,手游", "sort_order": "99", "is_active": "on",
    }),
    ("wagtail_beian_service_contents", ServiceContent, {"code": "enterprise_site"}, {
        "code": "podcast", "name": "播客", "allowed_for_individual": "on", "sort_order": "99", "is_active": "on",
    }),
    ("wagtail_beian_access_methods", AccessMethod, {"code": "cdn"}, {
        "code": "edge", "name": "边缘节点", "sort_order": "99", "is_active": "on",
    }),
    ("wagtail_beian_holiday_overrides", HolidayOverride, None, {
        "date": "2027-10-09", "is_workday": "on", "note": "国庆调休",
    }),
]
TABLE_IDS = [t[0] for t in TABLES]


def url(namespace, view, *args):
    return reverse(f"{namespace}:{view}", args=args)


def existing_row(model, lookup):
    if lookup is None:
        return factories.HolidayOverrideFactory()
    return model.objects.get(**lookup)


def post_data(model, data):
    """Form data with the certificate type given by code replaced by its primary key."""
    data = dict(data)
    if "allowed_certificate_types" in data:
        data["allowed_certificate_types"] = [CertificateType.objects.get(code=data["allowed_certificate_types"]).pk]
    return data


def edit_data(model, row):
    """The edit form's data for ``row`` with the name (or note) changed."""
    data = {}
    for name in ("name", "abbreviation", "legacy_abbreviations", "keywords", "note"):
        if hasattr(row, name):
            data[name] = getattr(row, name)
    for name in ("sort_order",):
        if hasattr(row, name):
            data[name] = str(getattr(row, name))
    for name in ("is_active", "requires_landline", "for_organizer", "for_person", "is_individual",
                 "allowed_for_individual", "is_workday"):
        if getattr(row, name, False):
            data[name] = "on"
    if model is HolidayOverride:
        data["date"] = row.date.isoformat()
        data["note"] = "改过的备注"
    else:
        data["name"] = row.name + "（改）"
    if model is OrganizerNature:
        data["allowed_certificate_types"] = [t.pk for t in row.allowed_certificate_types.all()]
    return data


def messages_of(response):
    return [str(m).strip() for m in response.context["messages"]] if response.context else []


# ------------------------------------------------------------------------------ manager


@pytest.mark.parametrize(("namespace", "model", "lookup", "new"), TABLES, ids=TABLE_IDS)
def test_manager_can_list_add_and_edit_every_code_table(client, manager, namespace, model, lookup, new):
    row = existing_row(model, lookup)
    client.force_login(manager)

    listing = client.get(url(namespace, "index"))
    assert listing.status_code == 200
    assert str(row) in listing.content.decode()
    assert url(namespace, "add") in listing.content.decode()

    assert client.get(url(namespace, "edit", row.pk)).status_code == 200
    response = client.post(url(namespace, "edit", row.pk), edit_data(model, row))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    row.refresh_from_db()
    if model is HolidayOverride:
        assert row.note == "改过的备注"
    else:
        assert row.name.endswith("（改）")

    if new is not None:
        before = model.objects.count()
        response = client.post(url(namespace, "add"), post_data(model, new))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert model.objects.count() == before + 1


def test_manager_edits_organizer_nature_with_checkboxes(client, manager):
    client.force_login(manager)
    nature = OrganizerNature.objects.get(code="government")
    html = client.get(url("wagtail_beian_organizer_natures", "edit", nature.pk)).content.decode()
    assert 'type="checkbox" name="allowed_certificate_types"' in html


def test_code_of_a_row_cannot_be_changed_once_created(client, manager):
    """The rules, the seed and stored filings refer to codes: the edit form ignores a new one."""
    client.force_login(manager)
    province = Province.objects.get(code="11")
    data = {**edit_data(Province, province), "code": "99"}
    response = client.post(url("wagtail_beian_provinces", "edit", province.pk), data)
    assert response.status_code == 302
    province.refresh_from_db()
    assert province.code == "11" and province.name.endswith("（改）")


def test_unknown_certificate_type_code_is_refused_with_the_known_ones(client, manager):
    client.force_login(manager)
    response = client.post(url("wagtail_beian_certificate_types", "add"), {
        "code": "driving_licence", "name": "驾驶证", "for_person": "on", "sort_order": "9", "is_active": "on",
    })
    assert response.status_code == 200
    error = response.context["form"].errors["code"][0]
    assert "driving_licence" in error and "resident_id" in error
    assert not CertificateType.objects.filter(code="driving_licence").exists()


def test_province_code_must_be_two_digits(client, manager):
    client.force_login(manager)
    response = client.post(url("wagtail_beian_provinces", "add"), {
        "code": "beijing2", "name": "北京二", "abbreviation": "北", "sort_order": "9",
    })
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert not Province.objects.filter(code="beijing2").exists()


def test_manager_deletes_an_unused_row(client, manager):
    client.force_login(manager)
    method = AccessMethod.objects.get(code="other")
    assert client.get(url("wagtail_beian_access_methods", "delete", method.pk)).status_code == 200
    response = client.post(url("wagtail_beian_access_methods", "delete", method.pk))
    assert response.status_code == 302
    assert not AccessMethod.objects.filter(pk=method.pk).exists()


def test_deleting_a_province_used_by_a_subject_is_refused_with_a_clear_message(client, manager, filing):
    """PROTECT: Wagtail's delete page hides its form and says why; a forced POST changes nothing."""
    client.force_login(manager)
    beijing = Province.objects.get(code="11")
    assert filing.subject.province == beijing

    page = client.get(url("wagtail_beian_provinces", "delete", beijing.pk))
    assert page.status_code == 200
    assert page.context["is_protected"] is True
    html = page.content.decode()
    assert gettext("Yes, delete") not in html
    [message] = messages_of(page)
    assert str(beijing) in message and "1" in message
    assert gettext("subjects") in message.lower() or "主体" in message

    response = client.post(url("wagtail_beian_provinces", "delete", beijing.pk), follow=True)
    assert response.status_code == 200
    assert Province.objects.filter(pk=beijing.pk).exists()
    assert any(str(beijing) in m for m in messages_of(response))


def test_deleting_a_certificate_type_used_by_subjects_is_refused(client, manager, filing):
    client.force_login(manager)
    uscc = CertificateType.objects.get(code="uscc")
    response = client.post(url("wagtail_beian_certificate_types", "delete", uscc.pk))
    assert response.status_code == 302
    assert CertificateType.objects.filter(pk=uscc.pk).exists()


# -------------------------------------------------------------------------------- clerk


@pytest.mark.parametrize(("namespace", "model", "lookup", "new"), TABLES, ids=TABLE_IDS)
def test_clerk_can_list_and_inspect_but_not_add_edit_or_delete(client, clerk, namespace, model, lookup, new):
    row = existing_row(model, lookup)
    before = (model.objects.count(), str(row))
    client.force_login(clerk)

    listing = client.get(url(namespace, "index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert str(row) in html
    assert url(namespace, "add") not in html
    assert url(namespace, "edit", row.pk) not in html
    assert url(namespace, "inspect", row.pk) in html
    assert client.get(url(namespace, "inspect", row.pk)).status_code == 200

    for view, args, data in [
        ("add", (), post_data(model, new) if new else {}),
        ("edit", (row.pk,), edit_data(model, row)),
        ("delete", (row.pk,), {}),
    ]:
        for method in (client.get, client.post):
            response = method(url(namespace, view, *args), data if method == client.post else None)
            assert response.status_code == 302, (view, method)
            assert response.url == HOME, (view, method)

    row.refresh_from_db()
    assert (model.objects.count(), str(row)) == before


def menu_shows_code_tables(html):
    """The sidebar menu is rendered from JSON props (non-ASCII escaped)."""
    label = str(codes.CodeTablesGroup.menu_label)
    return label in html or json.dumps(label)[1:-1] in html


def test_clerk_sees_the_code_tables_menu(client, clerk):
    client.force_login(clerk)
    html = client.get(HOME).content.decode()
    assert menu_shows_code_tables(html)
    assert url("wagtail_beian_provinces", "index") in html


def test_anonymous_is_sent_to_the_login_page(client):
    for namespace in TABLE_IDS:
        response = client.get(url(namespace, "index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_customer_without_admin_access_is_refused(client, customer):
    client.force_login(customer)
    province = Province.objects.get(code="11")
    for target in (url("wagtail_beian_provinces", "index"), url("wagtail_beian_provinces", "edit", province.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
    response = client.post(url("wagtail_beian_provinces", "edit", province.pk), edit_data(Province, province))
    assert response.status_code == 302
    assert Province.objects.get(pk=province.pk).name == province.name


def test_staff_without_code_table_permissions_is_refused(client, db):
    from django.contrib.auth.models import Permission

    staff = factories.StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get(url("wagtail_beian_provinces", "index"))
    assert response.status_code == 302 and response.url == HOME
    html = client.get(HOME).content.decode()
    assert not menu_shows_code_tables(html) and url("wagtail_beian_provinces", "index") not in html


# ------------------------------------------------------------------------ R06b and F04


def test_r06b_editing_allowed_certificate_types_in_the_admin_changes_preflight(client, manager, filing):
    """Untick USCC for enterprises in the admin → the enterprise filing's certificate is refused."""
    assert not [f for f in preflight(filing) if f.severity == "error"]
    enterprise = OrganizerNature.objects.get(code="enterprise")
    org_code = CertificateType.objects.get(code="org_code")
    data = {**edit_data(OrganizerNature, enterprise), "allowed_certificate_types": [org_code.pk]}
    client.force_login(manager)
    assert client.post(url("wagtail_beian_organizer_natures", "edit", enterprise.pk), data).status_code == 302

    assert set(enterprise.allowed_certificate_types.all()) == {org_code}
    findings = [f for f in preflight(filing) if f.severity == "error"]
    assert [f.rule for f in findings] == ["R01"]
    assert findings[0].field.startswith("subject.certificate")

    # and back: ticking it again clears the finding
    data["allowed_certificate_types"] = [org_code.pk, CertificateType.objects.get(code="uscc").pk]
    client.post(url("wagtail_beian_organizer_natures", "edit", enterprise.pk), data)
    assert not [f for f in preflight(filing) if f.severity == "error"]


@pytest.mark.filterwarnings("ignore::wagtail_beian.rules.workdays.WorkdayFallbackWarning")
def test_f04_holiday_override_added_in_the_admin_changes_add_workdays(client, manager):
    monday = datetime.date(2027, 3, 1)  # a year chinese_calendar does not know: Monday–Friday
    assert workdays.add_workdays(monday - datetime.timedelta(days=3), 1) == monday  # Fri → Mon

    client.force_login(manager)
    response = client.post(url("wagtail_beian_holiday_overrides", "add"), {"date": "2027-03-01", "note": "测试假日"})
    assert response.status_code == 302
    assert HolidayOverride.objects.get(date=monday).is_workday is False
    assert workdays.add_workdays(monday - datetime.timedelta(days=3), 1) == monday + datetime.timedelta(days=1)

    saturday = datetime.date(2027, 3, 6)
    override = HolidayOverride.objects.get(date=monday)
    client.post(url("wagtail_beian_holiday_overrides", "edit", override.pk),
                {"date": "2027-03-06", "is_workday": "on", "note": "调休"})
    assert workdays.is_workday(saturday) and workdays.is_workday(monday)

    client.post(url("wagtail_beian_holiday_overrides", "delete", override.pk))
    assert not HolidayOverride.objects.exists()
    assert not workdays.is_workday(saturday)


def test_f04_holiday_listing_is_ordered_by_date(client, manager):
    for day in (datetime.date(2027, 5, 1), datetime.date(2027, 1, 1), datetime.date(2027, 2, 7)):
        factories.HolidayOverrideFactory(date=day, note=f"note-{day:%m%d}")
    client.force_login(manager)
    html = client.get(url("wagtail_beian_holiday_overrides", "index")).content.decode()
    positions = [html.index(f"note-{d}") for d in ("0101", "0207", "0501")]
    assert positions == sorted(positions)


@pytest.fixture
def today_in_last_library_year(monkeypatch):
    """Today is in the last year chinese_calendar knows, so the next 12 months reach an unknown year."""
    last = workdays.library_years()[-1]
    today = datetime.date(last, 6, 1)
    monkeypatch.setattr(codes.timezone, "localdate", lambda *a, **k: today)
    return last + 1


def test_f04_holiday_listing_warns_about_uncovered_years(client, clerk, today_in_last_library_year):
    year = today_in_last_library_year
    client.force_login(clerk)
    response = client.get(url("wagtail_beian_holiday_overrides", "index"))
    [message] = messages_of(response)
    assert str(year) in message
    assert message == codes.uncovered_years_message([year])

    factories.HolidayOverrideFactory(date=datetime.date(year, 1, 1))
    response = client.get(url("wagtail_beian_holiday_overrides", "index"))
    assert messages_of(response) == []


def test_f04_uncovered_years_ahead_spans_twelve_months():
    last = workdays.library_years()[-1]
    assert codes.uncovered_years_ahead(datetime.date(last, 1, 1)) == []
    assert codes.uncovered_years_ahead(datetime.date(last, 12, 31)) == [last + 1]
