"""Changes (变更): which documents a change needs (F05, W05), and the W05 clock of an added website."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wagtail_beian.exceptions import TransitionBlocked
from wagtail_beian.models import Document, Filing, FilingState, PreApprovalCategory, Website
from wagtail_beian.rules import documents as kinds
from wagtail_beian.rules import workdays
from wagtail_beian.rules.documents import (
    ChangeScope,
    RequirementInput,
    WebsiteChange,
    WebsiteRequirementInput,
    required_documents,
)
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.documents import required_documents_for
from wagtail_beian.services.preflight import CodeSnapshot, load_for_preflight, preflight
from wagtail_beian.services.status import deadline_text, missing_summary
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db

PER_FILING = {
    kinds.ORGANIZER_CERTIFICATE, kinds.ID_CARD_FRONT, kinds.ID_CARD_BACK, kinds.SECURITY_AGREEMENT, kinds.ONSITE_PHOTO,
}


def approve(filing, customer, clerk, manager, number="京ICP备2024000001号"):
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {"subject_number": number})]:
        filing = perform_transition(filing, step, user, **kw)
    return filing


@pytest.fixture
def approved(customer, clerk, manager):
    filing = factories.FilingFactory(owner=customer, websites=[], documents=False)
    factories.WebsiteFactory(filing=filing, domain="first-site.cn")
    factories.WebsiteFactory(filing=filing, domain="second-site.cn")
    factories.add_required_documents(filing)
    return approve(filing, customer, clerk, manager)


def asked(change):
    return {(r.kind, r.website_key, r.rule) for r in required_documents_for(change)}


def copy_of(change, domain):
    return change.websites.get(source__domain=domain)


def document_findings(filing):
    return {(f.field, f.rule) for f in preflight(filing) if f.field.startswith("documents.")}


# ------------------------------------------------------------------------------ pure rule


def test_f05_pure_rule_subject_change_renews_only_per_filing_documents():
    inp = RequirementInput(individual=False, websites=(WebsiteRequirementInput(0), WebsiteRequirementInput(1)))
    every = {(d.kind, d.website_key) for d in required_documents(inp)}
    on_file = frozenset(every)
    unchanged = ChangeScope(websites=(WebsiteChange(0), WebsiteChange(1)), on_file=on_file)
    assert required_documents(RequirementInput(**{**inp.__dict__, "change": unchanged})) == []
    subject = ChangeScope(subject_changed=True, websites=unchanged.websites, on_file=on_file)
    docs = required_documents(RequirementInput(**{**inp.__dict__, "change": subject}))
    assert {(d.kind, d.website_key) for d in docs} == {(k, None) for k in PER_FILING}
    assert {d.rule for d in docs} == {"F05"}


def test_w05_pure_rule_added_website_brings_a_new_verification_sheet():
    inp = RequirementInput(
        individual=False, websites=(WebsiteRequirementInput(0), WebsiteRequirementInput(1, domain_owner_is_organizer=False)),
        change=ChangeScope(websites=(WebsiteChange(0), WebsiteChange(1, added=True)),
                           on_file=frozenset({(k, None) for k in PER_FILING} | {(kinds.VERIFICATION_SHEET, 0),
                                                                                 (kinds.DOMAIN_CERTIFICATE, 0)})),
    )
    assert {(d.kind, d.website_key, d.rule) for d in required_documents(inp)} == {
        (kinds.VERIFICATION_SHEET, 1, "W05"), (kinds.DOMAIN_AUTHORIZATION, 1, "D03"),
    }


def test_f05_pure_rule_documents_missing_from_the_approved_filing_are_still_asked_d05():
    inp = RequirementInput(individual=False, websites=(WebsiteRequirementInput(0),),
                           change=ChangeScope(websites=(WebsiteChange(0),), on_file=frozenset()))
    # approved before scans were required (D05): nothing on file, so everything is still asked, under D01
    assert {d.rule for d in required_documents(inp)} == {"D01"}
    assert len(required_documents(inp)) == len(required_documents(RequirementInput(individual=False, websites=inp.websites)))


# ------------------------------------------------------------------- stored changes


def test_f05_change_without_edits_keeps_every_approved_document(approved, customer):
    change = start_change(approved, customer)
    assert required_documents_for(change) == []
    assert document_findings(change) == set()
    loaded = load_for_preflight(change)
    assert missing_summary(loaded, CodeSnapshot.load())["documents"] == []


def test_f05_subject_change_asks_the_subject_documents_again(approved, customer):
    change = start_change(approved, customer)
    change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
    change.subject.save()
    assert asked(change) == {(k, None, "F05") for k in PER_FILING}
    # the approved filing's licence etc. do not count: pre-flight and the missing summary say so
    findings = document_findings(change)
    assert ("documents.organizer_certificate", "F05") in findings
    assert not any(field.startswith(("documents.0.", "documents.1.")) for field, _rule in findings)
    summary = missing_summary(load_for_preflight(change), CodeSnapshot.load())["documents"]
    assert len(summary) == len(PER_FILING) - 1  # the on-site photo is not mandatory
    with pytest.raises(TransitionBlocked):
        perform_transition(change, "submit", customer)
    factories.add_required_documents(change)
    assert document_findings(change) == set()
    assert perform_transition(change, "submit", customer).state == FilingState.SUBMITTED


def test_f05_website_change_asks_only_that_websites_documents(approved, customer):
    change = start_change(approved, customer)
    second = copy_of(change, "second-site.cn")
    Website.objects.filter(pk=second.pk).update(name="改名后的网站")
    assert asked(change) == {(kinds.VERIFICATION_SHEET, second.pk, "F05")}
    # a new domain (registered to someone else) also needs the domain authorisation (D03)
    Website.objects.filter(pk=second.pk).update(domain="renamed-site.cn", homepage="www.renamed-site.cn",
                                                domain_owner_is_organizer=False)
    assert asked(change) == {(kinds.VERIFICATION_SHEET, second.pk, "F05"), (kinds.DOMAIN_AUTHORIZATION, second.pk, "F05")}


def test_f05_pre_approval_added_by_a_change_asks_for_the_approval_document(approved, customer):
    change = start_change(approved, customer)
    first = copy_of(change, "first-site.cn")
    first.pre_approval_categories.add(PreApprovalCategory.objects.first())
    assert asked(change) == {(kinds.VERIFICATION_SHEET, first.pk, "F05"), (kinds.PRE_APPROVAL, first.pk, "F05")}


def test_w05_domain_added_through_a_change_needs_a_new_verification_sheet(approved, customer):
    change = start_change(approved, customer)
    added = factories.WebsiteFactory(filing=change, domain="added-later.cn", access=False)
    assert asked(change) == {(kinds.VERIFICATION_SHEET, added.pk, "W05"), (kinds.DOMAIN_CERTIFICATE, added.pk, "D01")}
    assert ("documents.2.verification_sheet", "W05") in document_findings(change)


def test_f05_rejected_documents_of_the_approved_filing_do_not_count(approved, customer):
    Document.objects.filter(filing=approved, kind=kinds.SECURITY_AGREEMENT).update(review_status="rejected")
    change = start_change(approved, customer)
    assert asked(change) == {(kinds.SECURITY_AGREEMENT, None, "D01")}


def test_f05_d04_dates_are_checked_on_the_changes_own_uploads_only(approved, customer):
    # the approved filing's verification sheets carry its old date; the change's new agreement and
    # photo carry today's: no D04 clash, the kept documents are not re-dated
    Document.objects.filter(filing=approved).update(document_date=datetime.date(2024, 1, 2))
    change = start_change(approved, customer)
    change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
    change.subject.save()
    factories.add_required_documents(change)
    assert not [f for f in preflight(change) if f.rule == "D04"]


def test_f05_approved_change_documents_serve_the_next_change(approved, customer, clerk, manager):
    change = start_change(approved, customer)
    change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
    change.subject.save()
    factories.add_required_documents(change)
    for step, user in [("submit", customer), ("verify", clerk), ("submit_to_bureau", manager), ("confirm_sms", manager)]:
        change = perform_transition(change, step, user)
    perform_transition(change, "approve", manager)
    licences = Document.objects.filter(filing=approved, kind=kinds.ORGANIZER_CERTIFICATE).order_by("uploaded_at", "pk")
    assert licences.count() == 2  # the old one stays for the record; the change's joins it
    # the next change keeps them, even once the old licence is rejected
    Document.objects.filter(pk=licences.first().pk).update(review_status="rejected")
    assert required_documents_for(start_change(Filing.objects.get(pk=approved.pk), customer)) == []


def test_f05_portal_wizard_shows_only_the_documents_the_change_needs(approved, customer, client):
    change = start_change(approved, customer)
    second = copy_of(change, "second-site.cn")
    Website.objects.filter(pk=second.pk).update(name="改名后的网站")
    client.force_login(customer)
    response = client.get(reverse("wagtail_beian_portal:filing_documents", args=[change.pk]))
    assert response.status_code == 200
    slots = response.context["slots"]
    assert [(s["required"].kind, s["required"].website_key) for s in slots] == [(kinds.VERIFICATION_SHEET, second.pk)]


def test_f05_admin_detail_lists_only_the_changes_missing_documents(approved, customer, clerk, client):
    change = start_change(approved, customer)
    added = factories.WebsiteFactory(filing=change, domain="added-later.cn", access=False)
    client.force_login(clerk)
    Filing.objects.filter(pk=change.pk).update(state="submitted")
    response = client.get(reverse("wagtail_beian_filings:inspect", args=[change.pk]))
    assert response.status_code == 200
    missing = response.context["missing"]["documents"]
    assert sorted(map(str, missing)) == sorted([kinds.document_label(kinds.VERIFICATION_SHEET),
                                                kinds.document_label(kinds.DOMAIN_CERTIFICATE)])
    assert added.domain in response.content.decode()


def test_f05_listing_query_count_does_not_grow_with_changes(approved, customer, clerk, client, django_assert_max_num_queries):
    client.force_login(clerk)
    url = reverse("wagtail_beian_filings:index")

    def add_changes(n):
        for i in range(n):
            filing = factories.FilingFactory(owner=customer)
            Filing.objects.filter(pk=filing.pk).update(state="approved", subject_number=f"京ICP备{2024100000 + Filing.objects.count()}号")
            change = start_change(Filing.objects.get(pk=filing.pk), customer)
            Website.objects.filter(filing=change).update(name=f"改名{i}")

    add_changes(2)
    with django_assert_max_num_queries(80) as small:
        assert client.get(url).status_code == 200
    add_changes(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------- W05 clock


def test_w05_clock_starts_at_the_first_submission_and_stops_at_the_bureau(approved, customer, clerk, manager):
    change = start_change(approved, customer)
    factories.WebsiteFactory(filing=change, domain="added-later.cn", access=False)
    factories.add_required_documents(change)
    change = perform_transition(change, "submit", customer)
    started = change.website_addition_started_at
    assert started == change.submitted_at
    expected = workdays.add_workdays(timezone.localdate(started), 7)
    assert timezone.localdate(change.website_addition_due_at) == expected
    assert timezone.localtime(change.website_addition_due_at).time() == datetime.time(23, 59, 59)
    assert change.website_addition_open and change.website_addition_workdays_left() == 7
    assert "工作日" in deadline_text(change) or "working days" in deadline_text(change)
    assert deadline_text(change).count("；") == 1  # provider deadline and W05 side by side
    # returned and resubmitted: the clock keeps its start (the website was added at the first submission)
    change = perform_transition(change, "return_to_customer", clerk, reasons=[Reason("websites.1.name", "x", "y")])
    factories.explain_open_reasons(change, customer)
    change = perform_transition(change, "submit", customer)
    assert change.website_addition_started_at == started
    factories.confirm_reasons(change, clerk)
    change = perform_transition(change, "verify", clerk)
    assert change.website_addition_open  # verified but not yet at the bureau: still running
    change = perform_transition(change, "submit_to_bureau", manager)
    assert not change.website_addition_open and change.website_addition_workdays_left() is None


def test_w05_no_clock_for_a_change_that_adds_no_website(approved, customer):
    change = start_change(approved, customer)
    change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
    change.subject.save()
    factories.add_required_documents(change)
    change = perform_transition(change, "submit", customer)
    assert change.website_addition_due_at is None and not change.website_addition_open


def test_w05_portal_shows_the_added_website_deadline(approved, customer, client):
    change = start_change(approved, customer)
    factories.WebsiteFactory(filing=change, domain="added-later.cn", access=False)
    factories.add_required_documents(change)
    change = perform_transition(change, "submit", customer)
    client.force_login(customer)
    due = timezone.localtime(change.website_addition_due_at).strftime("%Y-%m-%d")
    for name in ("filing_detail", "filing_list"):
        args = [change.pk] if name == "filing_detail" else []
        body = client.get(reverse(f"wagtail_beian_portal:{name}", args=args)).content.decode()
        assert due in body, name
