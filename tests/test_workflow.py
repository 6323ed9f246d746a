"""The filing state machine (F01–F06): every transition, every refusal, numbers, changes, logging."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.exceptions import ConcurrentChange, TransitionBlocked, TransitionForbidden, TransitionNotAllowed
from wagtail_beian.models import DeadlineKind, Document, Filing, FilingKind, FilingReason, FilingState, Website
from wagtail_beian.rules import workdays
from wagtail_beian.rules.documents import VERIFICATION_SHEET
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.workflow import Reason, available_transitions, perform_transition, transitions_of

S = FilingState
pytestmark = pytest.mark.django_db

REASON = [Reason("subject.mailing_address", "通信地址缺少门牌号", "请补充门牌号")]


def force_state(filing, state):
    """Put a filing in a state for a test (bypasses the protected field, as a fixture only)."""
    Filing.objects.filter(pk=filing.pk).update(state=state)
    return Filing.objects.get(pk=filing.pk)


def run(filing, name, user, **kwargs):
    return perform_transition(filing, name, user, **kwargs)


def approve_path(filing, customer, clerk, manager, number="京ICP备2024000001号"):
    filing = run(filing, "submit", customer)
    filing = run(filing, "verify", clerk)
    filing = run(filing, "submit_to_bureau", manager)
    filing = run(filing, "confirm_sms", manager)
    return run(filing, "approve", manager, subject_number=number)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


# ------------------------------------------------------------------------- the happy path


def test_f02_full_path_draft_to_approved_with_numbers(filing, customer, clerk, manager):
    factories.WebsiteFactory(filing=filing)
    factories.add_required_documents(filing)
    filing = approve_path(filing, customer, clerk, manager)
    assert filing.state == S.APPROVED
    assert filing.subject_number == "京ICP备2024000001号"
    numbers = [w.filing_number for w in filing.websites.order_by("pk")]
    assert numbers == ["京ICP备2024000001号-1", "京ICP备2024000001号-2"]
    assert filing.approved_at is not None and filing.deadline_at is None
    actions = list(ModelLogEntry.objects.for_instance(filing).order_by("pk").values_list("action", flat=True))
    assert actions == [f"wagtail_beian.{n}" for n in ("submit", "verify", "submit_to_bureau", "confirm_sms", "approve")]


def test_f02_log_records_who_from_to_and_reasons(filing, customer, clerk):
    filing = run(filing, "submit", customer)
    run(filing, "return_to_customer", clerk, reasons=REASON)
    entry = ModelLogEntry.objects.for_instance(filing).get(action="wagtail_beian.return_to_customer")
    assert entry.user == clerk
    assert entry.data["from"] == "submitted" and entry.data["to"] == "returned"
    assert entry.data["reasons"][0]["field"] == "subject.mailing_address"
    assert "核实退回" in entry.message or "Returned" in entry.message or "退回" in entry.message


def test_f01_customer_may_not_verify_or_approve(filing, customer):
    filing = run(filing, "submit", customer)
    with pytest.raises(TransitionForbidden):
        run(filing, "verify", customer)
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED


def test_f01_other_customer_may_not_submit(filing, other_customer):
    with pytest.raises(TransitionForbidden):
        run(filing, "submit", other_customer)
    assert Filing.objects.get(pk=filing.pk).state == S.DRAFT


def test_f01_clerk_may_not_record_bureau_decisions(filing, customer, clerk):
    filing = force_state(filing, S.BUREAU_REVIEW)
    with pytest.raises(TransitionForbidden):
        run(filing, "approve", clerk, subject_number="京ICP备2024000001号")


def test_available_transitions_follow_user_and_state(filing, customer, clerk, manager):
    assert {t.name for t in available_transitions(filing, customer)} == {"submit", "withdraw"}
    filing = run(filing, "submit", customer)
    assert {t.name for t in available_transitions(filing, clerk)} == {"verify", "return_to_customer"}
    assert {t.name for t in available_transitions(filing, customer)} == set()


# ------------------------------------------------------------------------- returns, rejections


def test_f03_return_needs_reasons(filing, customer, clerk):
    filing = run(filing, "submit", customer)
    with pytest.raises(ValidationError):
        run(filing, "return_to_customer", clerk)
    with pytest.raises(ValidationError):
        run(filing, "return_to_customer", clerk, reasons=[Reason("subject.name", "")])
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
    assert not FilingReason.objects.exists()


def test_f03_returned_filing_is_fixed_and_resubmitted(filing, customer, clerk):
    filing = run(filing, "submit", customer)
    filing = run(filing, "return_to_customer", clerk, reasons=REASON + [Reason("websites.0.name", "名称含前置审批关键词", "请改名")])
    assert filing.state == S.RETURNED and filing.is_customer_editable
    assert [r.field for r in filing.open_reasons()] == ["subject.mailing_address", "websites.0.name"]
    factories.explain_open_reasons(filing, customer)
    filing = run(filing, "submit", customer)
    assert filing.state == S.SUBMITTED
    assert not filing.open_reasons().exists()
    assert filing.reasons.count() == 2  # the customer still sees every reason given


def test_f03_bureau_rejection_goes_straight_back_to_bureau(filing, customer, clerk, manager):
    filing = run(filing, "submit", customer)
    filing = run(filing, "verify", clerk)
    filing = run(filing, "submit_to_bureau", manager)
    filing = run(filing, "confirm_sms", manager)
    filing = run(filing, "reject", manager, reasons=REASON)
    assert filing.state == S.BUREAU_REJECTED and filing.is_customer_editable
    factories.confirm_reasons(filing, clerk)
    filing = run(filing, "resubmit_to_bureau", manager)
    assert filing.state == S.BUREAU_REVIEW
    assert Filing.objects.count() == 1  # never a duplicate filing


def test_f04_sms_check_failure_returns_the_filing(filing, customer, clerk, manager):
    filing = run(filing, "submit", customer)
    filing = run(filing, "verify", clerk)
    filing = run(filing, "submit_to_bureau", manager)
    assert filing.deadline_kind == DeadlineKind.SMS
    assert filing.deadline_at - filing.sms_sent_at == datetime.timedelta(hours=24)
    filing = run(filing, "fail_sms", manager, reasons=[Reason("subject.responsible_mobile", "五次验证码错误", "核对手机号后重新提交")])
    assert filing.state == S.RETURNED


# ------------------------------------------------------------------------------ deadlines


def test_f04_provider_deadline_is_five_working_days(filing, customer):
    filing = run(filing, "submit", customer)
    submitted = timezone.localdate(filing.submitted_at)
    assert filing.deadline_kind == DeadlineKind.PROVIDER
    assert timezone.localdate(filing.deadline_at) == workdays.add_workdays(submitted, 5)
    assert filing.workdays_left(submitted) == 5


def test_f04_bureau_deadline_is_twenty_working_days(filing, customer, clerk, manager):
    filing = run(filing, "submit", customer)
    filing = run(filing, "verify", clerk)
    filing = run(filing, "submit_to_bureau", manager)
    filing = run(filing, "confirm_sms", manager)
    start = timezone.localdate(filing.bureau_clock_started_at)
    assert filing.deadline_kind == DeadlineKind.BUREAU
    assert timezone.localdate(filing.deadline_at) == workdays.add_workdays(start, 20)


# --------------------------------------------------------------------- every transition, both ways

ALL = transitions_of(Filing)
EVERY = list(Filing._meta.get_field("state").get_all_transitions(Filing))
ALLOWED = sorted((t.name, t.source, t.target) for t in EVERY)
SOURCES = {name: {t.source for t in EVERY if t.name == name} for name in ALL}


def _prepare_for(filing, name, source):
    filing = force_state(filing, source)
    kwargs = {}
    if ALL[name].custom.get("needs_reasons"):
        kwargs["reasons"] = REASON
    if ALL[name].custom.get("needs_note"):
        kwargs["note"] = "不再经营该网站"
    if name == "approve":
        kwargs["subject_number"] = "京ICP备2024000099号"
    return filing, kwargs


@pytest.mark.parametrize("name,source,target", ALLOWED, ids=[f"{n}-{s}" for n, s, _ in ALLOWED])
def test_each_allowed_transition(filing, superuser, name, source, target):
    filing, kwargs = _prepare_for(filing, name, source)
    if source == S.CANCELLING or name == "request_cancellation":
        Filing.objects.filter(pk=filing.pk).update(subject_number="京ICP备2024000099号")
        filing = Filing.objects.get(pk=filing.pk)
    filing = run(filing, name, superuser, **kwargs)
    assert filing.state == target


FORBIDDEN = [(name, state) for name in sorted(ALL) for state in S.values if state not in SOURCES[name]]


@pytest.mark.parametrize("name,state", FORBIDDEN, ids=[f"{n}-from-{s}" for n, s in FORBIDDEN])
def test_each_forbidden_transition_is_refused(filing, superuser, name, state):
    filing, kwargs = _prepare_for(filing, name, state)
    with pytest.raises(TransitionNotAllowed) as error:
        run(filing, name, superuser, **kwargs)
    assert str(error.value)  # a message for the user
    assert Filing.objects.get(pk=filing.pk).state == state
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail_beian.").exists()


# ------------------------------------------------------------------------------ conditions


def test_d01_submit_blocked_without_documents(customer):
    filing = factories.FilingFactory(owner=customer, documents=False)
    with pytest.raises(TransitionBlocked) as error:
        run(filing, "submit", customer)
    rules = {f.rule for f in error.value.findings}
    assert "D01" in rules
    assert Filing.objects.get(pk=filing.pk).state == S.DRAFT


def test_d01_rejected_document_counts_as_missing(filing, customer):
    Document.objects.filter(filing=filing, kind=VERIFICATION_SHEET).update(review_status="rejected")
    with pytest.raises(TransitionBlocked) as error:
        run(filing, "submit", customer)
    [finding] = [f for f in error.value.findings if f.field.endswith(VERIFICATION_SHEET)]
    # it was uploaded: the finding says it was rejected, not that it is missing (issue 12)
    assert finding.rule == "D01" and "审核不通过" in finding.message and "未上传" not in finding.message


def test_r04_submit_blocked_by_preflight_error(filing, customer):
    filing.subject.mailing_address = "北京市海淀区中关村软件园"
    filing.subject.save()
    with pytest.raises(TransitionBlocked) as error:
        run(filing, "submit", customer)
    assert [f.rule for f in error.value.findings] == ["R04"]


# ------------------------------------------------------------------------ numbers on approval


@pytest.mark.parametrize("number", ["沪ICP备2024000001号", "京ICP备2024000001号-1", "京ICP证030173号", "备案号"])
def test_approval_number_is_validated(filing, superuser, number):
    filing = force_state(filing, S.BUREAU_REVIEW)
    with pytest.raises(ValidationError) as error:
        run(filing, "approve", superuser, subject_number=number)
    assert error.value.messages[0]
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.state == S.BUREAU_REVIEW and filing.subject_number == ""
    assert not Website.objects.filter(site_number__isnull=False).exists()


def test_approval_number_province_must_be_subjects(filing, superuser):
    filing = force_state(filing, S.BUREAU_REVIEW)
    with pytest.raises(ValidationError) as error:
        run(filing, "approve", superuser, subject_number="粤ICP备2024000001号")
    assert "北京" in " ".join(error.value.messages)


def test_approval_number_accepts_legacy_alias_of_subjects_province(customer, superuser):
    filing = factories.FilingFactory(owner=customer, subject__province=factories.code(__import__("wagtail_beian.models", fromlist=["Province"]).Province, "51"))
    filing = force_state(filing, S.BUREAU_REVIEW)
    filing = run(filing, "approve", superuser, subject_number="川ICP备12345678号")
    assert filing.subject_number == "川ICP备12345678号"


def test_approval_number_is_unique(customer, superuser):
    first = force_state(factories.FilingFactory(owner=customer), S.BUREAU_REVIEW)
    run(first, "approve", superuser, subject_number="京ICP备2024000001号")
    second = force_state(factories.FilingFactory(owner=customer), S.BUREAU_REVIEW)
    with pytest.raises(ValidationError):
        run(second, "approve", superuser, subject_number="京ICP备2024000001号")


def test_f06_cancelled_website_number_is_never_reused(filing, customer, clerk, manager, superuser):
    factories.WebsiteFactory(filing=filing)
    factories.add_required_documents(filing)
    filing = approve_path(filing, customer, clerk, manager)
    second = filing.websites.get(site_number=2)
    second = run(second, "request_cancellation", customer, note="不再经营该网站")
    second = run(second, "confirm_cancellation", manager, note="不再经营该网站")
    assert second.status == "cancelled" and second.site_number == 2 and not second.is_live

    change = start_change(filing, customer)
    factories.WebsiteFactory(filing=change, domain="new-site.cn", access=False)
    factories.add_required_documents(change)
    change = approve_path(change, customer, clerk, manager)
    added = Website.objects.get(domain="new-site.cn")
    assert added.filing_id == filing.pk and added.site_number == 3
    assert added.filing_number == "京ICP备2024000001号-3"


def test_f06_cancel_subject_cancels_websites_and_frees_domains(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    filing = run(filing, "request_cancellation", customer, note="不再经营该网站")
    filing = run(filing, "confirm_cancellation", manager, note="不再经营该网站")
    assert filing.state == S.CANCELLED
    assert set(filing.websites.values_list("status", flat=True)) == {"cancelled"}
    domain = filing.websites.first().domain
    # W02: the domain may be filed again elsewhere; the number stays with the cancelled filing.
    factories.WebsiteFactory(domain=domain)
    assert Filing.objects.get(pk=filing.pk).subject_number == "京ICP备2024000001号"


def test_f06_cancellation_can_be_refused(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    filing = run(filing, "request_cancellation", customer, note="不再经营该网站")
    filing = run(filing, "refuse_cancellation", manager, reasons=REASON)
    assert filing.state == S.APPROVED and filing.subject_number == "京ICP备2024000001号"


# ------------------------------------------------------------------------------- conflicts


def test_r08_subject_conflict_by_certificate_is_refused_by_the_database(filing):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SubjectFactory(
            name="另一个名字有限公司",
            certificate_type=filing.subject.certificate_type,
            certificate_number=filing.subject.certificate_number,
        )


def test_r08_subject_conflict_finding_says_what_to_do(filing, other_customer, customer, clerk, manager):
    from wagtail_beian.services.preflight import preflight

    approve_path(filing, customer, clerk, manager)
    second = factories.FilingFactory(owner=other_customer, subject__name="同一主体", subject__certificate_number="X")
    second.subject.certificate_number = filing.subject.certificate_number
    second.subject.is_live = False  # a draft whose row the DB would refuse; pre-flight must explain
    second.subject.save()
    findings = [f for f in preflight(second) if f.rule == "R08"]
    assert len(findings) == 1
    assert "京ICP备2024000001号" in findings[0].message
    assert "北京" in findings[0].suggestion


def test_w02_domain_conflict_is_refused_by_the_database(filing):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.WebsiteFactory(domain=filing.websites.first().domain)


def test_w02_domain_conflict_finding_names_province(filing, customer, clerk, manager, other_customer):
    from wagtail_beian.services.conflicts import conflict_findings

    approve_path(filing, customer, clerk, manager)
    other = factories.FilingFactory(owner=other_customer)
    site = other.websites.first()
    Website.objects.filter(pk=site.pk).update(is_live=False, domain=filing.websites.first().domain)
    findings = conflict_findings(other)
    assert [f.rule for f in findings] == ["W02"]
    assert "京ICP备2024000001号-1" in findings[0].message and "北京" in findings[0].suggestion


def test_w02_withdrawn_filing_frees_its_domain(filing, customer):
    domain = filing.websites.first().domain
    run(filing, "withdraw", customer)
    factories.WebsiteFactory(domain=domain)  # no IntegrityError


# --------------------------------------------------------------------------------- changes


def test_f05_change_keeps_approved_data_until_approved(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    old_address = filing.subject.mailing_address
    change = start_change(filing, customer)
    assert change.kind == FilingKind.CHANGE and change.state == S.DRAFT
    change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
    change.subject.save()
    factories.add_required_documents(change)
    filing.subject.refresh_from_db()
    assert filing.subject.mailing_address == old_address
    approve_path(change, customer, clerk, manager)
    filing.subject.refresh_from_db()
    assert filing.subject.mailing_address == "北京市朝阳区建国路88号2001室"
    assert Filing.objects.get(pk=filing.pk).state == S.APPROVED


def test_f05_withdrawn_change_leaves_approved_data_intact(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    before = filing.websites.get().name
    change = start_change(filing, customer)
    Website.objects.filter(filing=change).update(name="改过的名字")
    run(change, "withdraw", customer)
    assert filing.websites.get().name == before
    # a new change may start after the withdrawn one
    assert start_change(filing, customer).pk != change.pk


def test_f05_rejected_change_leaves_approved_data_intact(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    change = start_change(filing, customer)
    Website.objects.filter(filing=change).update(name="改过的名字")
    factories.add_required_documents(change)
    change = run(change, "submit", customer)
    change = run(change, "verify", clerk)
    change = run(change, "submit_to_bureau", manager)
    change = run(change, "confirm_sms", manager)
    run(change, "reject", manager, reasons=REASON)
    assert filing.websites.get().name != "改过的名字"


def test_f05_only_one_open_change(filing, customer, clerk, manager):
    filing = approve_path(filing, customer, clerk, manager)
    start_change(filing, customer)
    with pytest.raises(TransitionNotAllowed):
        start_change(filing, customer)


def test_f05_change_only_of_approved_filing(filing, customer):
    with pytest.raises(TransitionNotAllowed):
        start_change(filing, customer)


def test_f05_change_not_by_another_customer(filing, customer, clerk, manager, other_customer):
    filing = approve_path(filing, customer, clerk, manager)
    with pytest.raises(TransitionForbidden):
        start_change(filing, other_customer)


# ------------------------------------------------------------------------------ concurrency


def test_stale_expected_state_is_a_concurrent_change(filing, customer, clerk):
    seen = filing.state
    run(filing, "submit", customer)
    with pytest.raises(ConcurrentChange):
        run(filing, "withdraw", customer, expected_state=seen)
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED


def test_stale_object_cannot_overwrite_a_colleagues_transition(filing, customer, clerk):
    filing = run(filing, "submit", customer)
    mine = Filing.objects.get(pk=filing.pk)
    theirs = Filing.objects.get(pk=filing.pk)
    run(theirs, "verify", clerk)
    with pytest.raises(ConcurrentChange):
        run(mine, "return_to_customer", clerk, reasons=REASON, expected_state=mine.state)
    assert Filing.objects.get(pk=filing.pk).state == S.VERIFIED
    assert not FilingReason.objects.exists()
