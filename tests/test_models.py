"""Models, code tables, storage and demo data against a real database and real files."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from wagtail_beian.checks import private_storage_not_public
from wagtail_beian.models import CertificateType, Document, Filing, FilingState, HolidayOverride, OrganizerNature, Province
from wagtail_beian.rules import workdays
from wagtail_beian.storage import private_storage

pytestmark = pytest.mark.django_db


def test_r06b_seeded_natures_allow_their_certificates():
    allowed = {n.code: {t.code for t in n.allowed_certificate_types.all()} for n in OrganizerNature.objects.all()}
    assert allowed["enterprise"] == {"uscc"}
    assert allowed["government"] == {"uscc", "org_code"}
    assert allowed["individual"] == {
        "resident_id", "passport", "hk_macau_permit", "taiwan_permit", "hmt_residence_permit",
        "foreign_permanent_residence",
    }
    assert OrganizerNature.objects.get(code="individual").is_individual


def test_r06b_code_table_edit_changes_preflight(filing):
    """Staff edit the nature → certificate table; pre-flight follows the table, not code."""
    from wagtail_beian.services.preflight import preflight

    assert not [f for f in preflight(filing) if f.rule == "R01"]
    enterprise = OrganizerNature.objects.get(code="enterprise")
    enterprise.allowed_certificate_types.set([CertificateType.objects.get(code="org_code")])
    assert [f.rule for f in preflight(filing) if f.severity == "error"] == ["R01"]


def test_r07_seeded_jiangxi_requires_landline():
    assert Province.objects.get(code="36").requires_landline
    assert not Province.objects.get(code="11").requires_landline
    assert Province.objects.count() == 31
    assert Province.objects.get(code="51").all_abbreviations == {"蜀", "川"}


def test_f04_holiday_table_in_the_database_feeds_working_days():
    day = datetime.date(2027, 1, 4)  # a Monday, in a year chinese_calendar does not know
    assert workdays.is_workday(day)
    HolidayOverride.objects.create(date=day, is_workday=False, note="测试假日")
    assert not workdays.is_workday(day)
    assert workdays.add_workdays(datetime.date(2027, 1, 1), 1) == datetime.date(2027, 1, 5)
    HolidayOverride.objects.filter(date=day).delete()
    from wagtail_beian.models.codes import invalidate_overrides

    invalidate_overrides()
    assert workdays.is_workday(day)


def test_f04_unknown_year_without_overrides_is_reported():
    assert 2027 in workdays.uncovered_years(datetime.date(2026, 12, 1), datetime.date(2027, 2, 1))
    HolidayOverride.objects.create(date=datetime.date(2027, 1, 1), is_workday=False, note="元旦")
    from wagtail_beian.models.codes import invalidate_overrides

    invalidate_overrides()
    assert 2027 not in workdays.uncovered_years(datetime.date(2026, 12, 1), datetime.date(2027, 2, 1))


def test_scans_are_stored_privately_under_random_names(filing):
    document = Document.objects.filter(filing=filing).first()
    path = Path(document.file.path)
    assert path.is_file() and path.read_bytes()[:4] in (b"\x89PNG", b"%PDF")
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert document.original_name not in document.file.name
    assert len(Path(document.file.name).stem) >= 24
    with pytest.raises(ValueError):
        document.file.url  # no base URL: the file cannot be linked to
    assert path.is_relative_to(private_storage().location)


def test_private_storage_inside_media_root_fails_the_system_check(tmp_path):
    storages = {**settings.STORAGES, "wagtail_beian_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media" / "scans")},
    }}
    with override_settings(MEDIA_ROOT=str(tmp_path / "media"), STORAGES=storages):
        from django.core.files.storage import storages as handler

        handler._storages.pop("wagtail_beian_private", None)
        handler._backends = None
        try:
            errors = private_storage_not_public(None)
        finally:
            handler._storages.pop("wagtail_beian_private", None)
            handler._backends = None
    assert [e.id for e in errors] == ["wagtail_beian.E001"]
    assert private_storage_not_public(None) == []


def test_demo_data_has_every_state_and_nature(capsys):
    call_command("beian_demo", admin_password="admin-pass-123")
    out = capsys.readouterr().out
    assert "admin" in out and "admin-pass-123" in out
    states = set(Filing.objects.values_list("state", flat=True))
    assert states == set(FilingState.values)
    natures = set(Filing.objects.values_list("subject__nature__code", flat=True))
    assert {"enterprise", "individual", "institution"} <= natures
    assert Filing.objects.values("owner").distinct().count() >= 3
    from wagtail_beian.models import Ticket

    assert Ticket.objects.count() >= 3 and Ticket.objects.filter(state="waiting_customer").exists()
    from wagtail_beian.models import PortalSettings

    portal = PortalSettings.objects.get()  # both printouts can be generated in the sandbox
    assert portal.provider_name and "第一条" in portal.security_agreement_text
    # a second run keeps the data and refreshes the logins
    count = Filing.objects.count()
    call_command("beian_demo", admin_password="another-pass-456")
    assert Filing.objects.count() == count


def test_staff_groups_hold_the_transition_permissions(clerk, manager):
    assert clerk.has_perm("wagtail_beian.verify_filing") and not clerk.has_perm("wagtail_beian.record_bureau_decision")
    assert manager.has_perm("wagtail_beian.record_bureau_decision")
    assert manager.has_perm("wagtail_beian.change_province") and not clerk.has_perm("wagtail_beian.change_province")
    assert not clerk.has_perm("wagtail_beian.view_personal_data")


def test_certificate_numbers_are_masked(filing):
    masked = filing.subject.masked_responsible_certificate_number
    assert masked.startswith(filing.subject.responsible_certificate_number[:6]) and "*" in masked
    assert masked[-4:] == filing.subject.responsible_certificate_number[-4:]
