"""What changed: every edit of a filing's data is recorded field by field, before → after, and the
clerk sees the changes next to the reasons they answer (issue 12)."""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.admin.test_parts_admin import subject_form
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def returned(customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    return perform_transition(filing, "return_to_customer", clerk, reasons=[
        Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号"),
    ])


def test_a_customer_edit_is_recorded_before_and_after_and_shown_next_to_its_reason(client, customer, clerk):
    filing = returned(customer, clerk)
    old = filing.subject.mailing_address
    client.force_login(customer)
    step = reverse("wagtail_beian_portal:filing_subject", args=[filing.pk])
    response = client.post(step, subject_form(filing.subject, mailing_address=old + "1101室"))
    assert response.status_code == 302
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.edit_data")
    [change] = entry.data["changes"]
    assert change["field"] == "subject.mailing_address" and change["before"] == old
    assert change["after"] == old + "1101室" and entry.user == customer
    client.force_login(clerk)
    detail = text(client.get(reverse("wagtail_beian_filings:inspect", args=[filing.pk])))
    assert f"{old} → {old}1101室" in detail  # in the reasons table and in the history


def test_a_staff_edit_of_a_certificate_number_is_recorded_masked(client, customer, clerk):
    from wagtail_beian.rules.identity import mask_certificate_number

    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    subject = filing.subject
    new = factories.valid_resident_id(43210)
    client.force_login(clerk)
    client.post(reverse("wagtail_beian_subjects:edit", args=[subject.pk]),
                subject_form(subject, responsible_certificate_number=new))
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.edit_data")
    [change] = entry.data["changes"]
    assert change["after"] == mask_certificate_number(new) and new not in str(entry.data)


def test_sending_a_form_back_unchanged_records_no_edit(client, customer, clerk):
    filing = factories.FilingFactory(owner=customer)
    client.force_login(customer)
    client.post(reverse("wagtail_beian_portal:filing_subject", args=[filing.pk]), subject_form(filing.subject))
    assert not ModelLogEntry.objects.filter(action="wagtail_beian.edit_data").exists()
    # the same for staff in the admin part editor
    filing = perform_transition(filing, "submit", customer)
    client.force_login(clerk)
    client.post(reverse("wagtail_beian_subjects:edit", args=[filing.subject.pk]), subject_form(filing.subject))
    assert not ModelLogEntry.objects.filter(action="wagtail_beian.edit_data").exists()
