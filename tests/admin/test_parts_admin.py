"""Staff edit submitted data part by part, only while the provider may (F01); each edit is logged."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.models import Filing, FilingState, Subject
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db


def subject_form(subject, **changes):
    data = {
        "nature": subject.nature_id, "name": subject.name, "certificate_type": subject.certificate_type_id,
        "certificate_number": subject.certificate_number, "investor": subject.investor,
        "province": subject.province_id, "residence_address": subject.residence_address,
        "mailing_address": subject.mailing_address, "mailing_address_note": subject.mailing_address_note,
        "responsible_name": subject.responsible_name,
        "responsible_certificate_type": subject.responsible_certificate_type_id,
        "responsible_certificate_number": subject.responsible_certificate_number,
        "responsible_is_legal_representative": "on", "responsible_mobile": subject.responsible_mobile,
        "responsible_landline": subject.responsible_landline, "responsible_email": subject.responsible_email,
    }
    data.update(changes)
    return data


def test_f01_clerk_edits_a_submitted_subject_normalised_and_logged(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    subject = filing.subject
    client.force_login(clerk)
    edit = reverse("wagtail_beian_subjects:edit", args=[subject.pk])
    response = client.post(edit, subject_form(subject, responsible_mobile="+86 139 0000 1111",
                                              mailing_address="北京市海淀区中关村大街27号2201室"))
    assert response.status_code == 302, response.content.decode()[:500]
    subject.refresh_from_db()
    assert subject.responsible_mobile == "13900001111"
    assert subject.mailing_address == "北京市海淀区中关村大街27号2201室"
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.edit_data")
    assert entry.user == clerk and "mailing_address" in entry.data["fields"]


def test_r06_bad_certificate_shown_at_the_field_nothing_saved(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    subject = filing.subject
    client.force_login(clerk)
    bad = subject.certificate_number[:-1] + ("0" if subject.certificate_number[-1] != "0" else "1")
    response = client.post(reverse("wagtail_beian_subjects:edit", args=[subject.pk]), subject_form(subject, certificate_number=bad))
    assert response.status_code == 200  # the form again, with the error at the field
    assert "certificate_number" in response.context["form"].errors
    assert Subject.objects.get(pk=subject.pk).certificate_number == subject.certificate_number


def test_r06_a_reviewer_accepts_a_number_that_fails_only_its_checksum(client, customer, clerk, manager):
    """The override of services.overrides, where a reviewer uses it: the subject editor."""
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    subject = filing.subject
    bad = subject.certificate_number[:-1] + ("0" if subject.certificate_number[-1] != "0" else "1")
    edit = reverse("wagtail_beian_subjects:edit", args=[subject.pk])
    # a clerk has no override permission: no checkbox, and ticking it by hand changes nothing
    client.force_login(clerk)
    assert 'name="accept_checksum"' not in client.get(edit).content.decode()
    client.post(edit, subject_form(subject, certificate_number=bad, accept_checksum="on", override_note="看过原件"))
    assert Subject.objects.get(pk=subject.pk).certificate_number == subject.certificate_number
    # the manager must say why
    client.force_login(manager)
    page = client.get(edit).content.decode()
    assert 'name="accept_checksum"' in page and "校验" in page
    response = client.post(edit, subject_form(subject, certificate_number=bad, accept_checksum="on", override_note=" "))
    assert response.status_code == 200 and "override_note" in response.context["form"].errors
    assert not Subject.objects.get(pk=subject.pk).certificate_override
    response = client.post(edit, subject_form(subject, certificate_number=bad, accept_checksum="on",
                                              override_note="核对过营业执照原件"))
    assert response.status_code == 302, response.content.decode()[:500]
    stored = Subject.objects.get(pk=subject.pk)
    assert stored.certificate_number == bad and stored.certificate_override
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.certificate_override")
    assert entry.user == manager and entry.data["note"] == "核对过营业执照原件" and bad not in str(entry.data)
    # other edits keep the accepted number; a new number is checked again
    client.post(edit, subject_form(stored, mailing_address="北京市海淀区中关村大街27号3301室"))
    assert Subject.objects.get(pk=subject.pk).certificate_override
    worse = bad[:-2] + ("00" if bad[-2:] != "00" else "11")
    response = client.post(edit, subject_form(stored, certificate_number=worse))
    assert response.status_code == 200 and "certificate_number" in response.context["form"].errors


def test_w02_domain_conflict_shown_on_website_edit(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    other = factories.FilingFactory()
    website = filing.websites.get()
    client.force_login(clerk)
    data = {
        "name": website.name, "domain": other.websites.get().domain.upper(), "homepage": "",
        "service_kind": "website", "pre_approval_document_number": "", "domain_owner_is_organizer": "on",
        "responsible_name": website.responsible_name,
        "responsible_certificate_type": website.responsible_certificate_type_id,
        "responsible_certificate_number": website.responsible_certificate_number,
        "responsible_mobile": website.responsible_mobile, "responsible_landline": "",
        "responsible_email": website.responsible_email,
    }
    response = client.post(reverse("wagtail_beian_websites:edit", args=[website.pk]), data)
    assert response.status_code == 200
    assert "已经备案" in response.content.decode() or "already filed" in response.content.decode()
    website.refresh_from_db()
    assert website.domain != other.websites.get().domain


def test_f01_approved_subject_is_not_editable_in_the_admin(client, customer, clerk):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state=FilingState.APPROVED)
    client.force_login(clerk)
    edit = reverse("wagtail_beian_subjects:edit", args=[filing.subject.pk])
    response = client.post(edit, subject_form(filing.subject, name="偷偷改名有限公司"))
    assert response.status_code == 302 and "edit" not in response["Location"]
    assert Subject.objects.get(pk=filing.subject.pk).name != "偷偷改名有限公司"


def test_site_history_report_shows_transitions_in_chinese(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    perform_transition(filing, "verify", clerk)
    client.force_login(clerk)
    page = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "核实通过" in page and "待核实" in page
    history = client.get(reverse("wagtail_beian_filings:history", args=[filing.pk])).content.decode()
    assert "核实通过" in history and "提交" in history
