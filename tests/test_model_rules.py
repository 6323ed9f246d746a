"""Rules applied to stored data: normalisation on clean (R06, W01, R07), F01 editing, R06 override, W05."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.exceptions import TransitionForbidden
from wagtail_beian.models import Filing, FilingState, Subject, Website
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.overrides import accept_certificate_checksum_override
from wagtail_beian.services.preflight import preflight
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db


def test_r06_subject_clean_stores_canonical_numbers(filing):
    subject = filing.subject
    canonical = subject.certificate_number
    subject.certificate_number = " " + canonical.lower().replace(canonical[:2], "９１", 1) + " "
    subject.responsible_certificate_number = subject.responsible_certificate_number[:-1] + subject.responsible_certificate_number[-1].lower()
    subject.responsible_mobile = "+86 138-0013-8000"
    subject.full_clean()
    assert subject.certificate_number == canonical
    assert subject.responsible_mobile == "13800138000"


def test_r06_subject_clean_refuses_bad_checksum_in_the_field(filing):
    subject = filing.subject
    subject.certificate_number = subject.certificate_number[:-1] + ("0" if subject.certificate_number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        subject.full_clean()
    assert "certificate_number" in error.value.message_dict


def test_w01_website_clean_stores_one_canonical_domain(filing):
    website = filing.websites.get()
    website.domain, website.homepage = "例子.中国", ""
    website.full_clean()
    assert website.domain == "xn--fsqu00a.xn--fiqs8s"
    assert website.homepage == "www.xn--fsqu00a.xn--fiqs8s"
    website.domain = "www.example.com"
    with pytest.raises(ValidationError) as error:
        website.full_clean()
    assert "example.com" in " ".join(error.value.message_dict["domain"])


def test_w02_idn_spellings_conflict_after_normalisation(filing):
    website = filing.websites.get()
    website.domain = "例子.中国"
    website.full_clean()
    website.save()
    other = Website(filing=factories.FilingFactory(websites=[]), name="另一个", domain="XN--FSQU00A.xn--fiqs8s")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert [e.code for e in error.value.error_dict["domain"]] == ["domain_conflict"]
    assert other.domain == "xn--fsqu00a.xn--fiqs8s"
    assert Website.objects.conflicting_with([other.domain], exclude=other.filing)[other.domain].pk == website.pk


def test_r08_same_certificate_refused_by_full_clean(filing):
    subject = Subject(
        filing=factories.FilingFactory(subject=None, websites=[], documents=False), name="另一家公司",
        nature=filing.subject.nature, certificate_type=filing.subject.certificate_type,
        certificate_number=filing.subject.certificate_number.lower(), province=filing.subject.province,
    )
    with pytest.raises(ValidationError) as error:
        subject.full_clean()
    assert [e.code for e in error.value.error_dict["certificate_number"]] == ["subject_conflict"]
    assert "Add the website to the existing filing" in str(error.value) or "现有备案" in str(error.value)


def test_full_clean_works_with_protected_state(filing):
    filing.full_clean()
    filing.websites.get().full_clean()


def test_f01_customer_edits_only_while_the_filing_is_with_them(filing, customer, other_customer, clerk):
    assert filing.can_edit(customer) and not filing.can_edit(other_customer)
    filing = perform_transition(filing, "submit", customer)
    assert not filing.can_edit(customer)
    assert filing.can_edit(clerk)  # the provider may change a submitted filing
    filing = perform_transition(filing, "return_to_customer", clerk, reasons=[{"field": "subject.name", "problem": "名称有误"}])
    assert filing.can_edit(customer)


def test_f01_nobody_edits_a_withdrawn_filing(filing, customer, clerk):
    filing = perform_transition(filing, "withdraw", customer)
    assert not filing.can_edit(customer) and not filing.can_edit(clerk)


def _bad_checksum_uscc(filing):
    number = filing.subject.certificate_number
    bad = number[:-1] + ("A" if number[-1] != "A" else "B")
    Subject.objects.filter(pk=filing.subject.pk).update(certificate_number=bad)
    return bad


def test_r06_checksum_override_needs_permission_and_is_logged(filing, clerk, manager):
    bad = _bad_checksum_uscc(filing)
    assert [f.rule for f in preflight(filing) if f.severity == "error"] == ["R06"]
    with pytest.raises(TransitionForbidden):
        accept_certificate_checksum_override(filing.subject, clerk, note="核对过营业执照")
    with pytest.raises(ValidationError):
        accept_certificate_checksum_override(filing.subject, manager, note=" ")
    accept_certificate_checksum_override(filing.subject, manager, note="核对过营业执照原件")
    assert not [f for f in preflight(filing) if f.severity == "error"]
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.certificate_override")
    assert entry.user == manager and entry.data["note"] == "核对过营业执照原件"
    assert bad not in str(entry.data)  # the log keeps a masked number only (PIPL)


def test_r06_override_does_not_accept_a_malformed_number(filing, manager):
    Subject.objects.filter(pk=filing.subject.pk).update(certificate_number="12345")
    with pytest.raises(ValidationError):
        accept_certificate_checksum_override(filing.subject, manager, note="试试")
    assert not Subject.objects.get(pk=filing.subject.pk).certificate_override


def test_w05_a_website_is_added_to_an_approved_subject_through_a_change(filing, customer, clerk, manager):
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {"subject_number": "京ICP备2024000007号"})]:
        filing = perform_transition(filing, step, user, **kw)
    change = start_change(filing, customer)
    factories.WebsiteFactory(filing=change, domain="added-later.cn", name="新增网站")
    factories.add_required_documents(change)
    # the added website needs its own verification sheet (W05) before the change can be submitted;
    # the approved website's documents are kept from the approved filing (F05)
    added = change.websites.get(domain="added-later.cn")
    assert set(change.documents.values_list("kind", "website")) == {
        ("verification_sheet", added.pk), ("domain_certificate", added.pk)
    }
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {})]:
        change = perform_transition(change, step, user, **kw)
    site = Website.objects.get(domain="added-later.cn")
    assert site.filing_id == filing.pk and site.filing_number == "京ICP备2024000007号-2"
    assert Filing.objects.get(pk=filing.pk).state == FilingState.APPROVED


def test_f01_provider_does_not_edit_at_the_bureau_or_after_approval(filing, customer, clerk, manager):
    for step, user in [("submit", customer), ("verify", clerk), ("submit_to_bureau", manager)]:
        filing = perform_transition(filing, step, user)
        assert filing.can_edit(clerk) == (step != "submit_to_bureau"), step
    filing = perform_transition(filing, "confirm_sms", manager)
    filing = perform_transition(filing, "approve", manager, subject_number="京ICP备2024000008号")
    assert not filing.can_edit(clerk) and not filing.can_edit(customer)  # approved data changes by a change
