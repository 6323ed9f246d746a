"""The customer's progress stepper (issue 13): 提交 → 接入商核实 → 短信核验 → 管局审核 → 已备案, each step
with its date once done, the running deadline at the current one, a return or rejection marked."""

import pytest
from django.urls import reverse

from tests import factories
from wagtail_beian.models import FilingState
from wagtail_beian.models.states import FILING_STATES, FILING_STEPS
from wagtail_beian.services.status import stepper
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db
S = FilingState
REASON = [Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号")]


def statuses(filing):
    return [step["status"] for step in stepper(filing)]


def test_every_state_stands_at_a_step_of_the_stepper():
    assert set(FILING_STATES) == set(FilingState)
    assert all(0 <= info.step < len(FILING_STEPS) for info in FILING_STATES.values())
    assert [str(s.label) for s in FILING_STEPS] == ["提交", "接入商核实", "短信核验", "管局审核", "已备案"]


def test_the_stepper_follows_the_filing_from_draft_to_approval(customer, clerk, manager):
    filing = factories.FilingFactory(owner=customer)
    assert statuses(filing) == ["current", "upcoming", "upcoming", "upcoming", "upcoming"]
    filing = perform_transition(filing, "submit", customer)
    steps = stepper(filing)
    assert statuses(filing) == ["done", "current", "upcoming", "upcoming", "upcoming"]
    assert steps[0]["at"] == filing.submitted_at and "工作日" in str(steps[1]["deadline"])
    filing = perform_transition(filing, "return_to_customer", clerk, reasons=REASON)
    assert statuses(filing) == ["done", "problem", "upcoming", "upcoming", "upcoming"]
    factories.explain_open_reasons(filing, customer)
    filing = perform_transition(filing, "submit", customer)
    factories.confirm_reasons(filing, clerk)
    filing = perform_transition(filing, "verify", clerk)
    filing = perform_transition(filing, "submit_to_bureau", manager)
    steps = stepper(filing)
    assert statuses(filing) == ["done", "done", "current", "upcoming", "upcoming"]
    assert steps[1]["at"] == filing.verified_at and steps[2]["deadline"]  # the 24-hour SMS check runs
    filing = perform_transition(filing, "confirm_sms", manager)
    assert statuses(filing) == ["done", "done", "done", "current", "upcoming"]
    filing = perform_transition(filing, "reject", manager, reasons=REASON)
    assert statuses(filing) == ["done", "done", "done", "problem", "upcoming"]
    factories.confirm_reasons(filing, clerk)
    filing = perform_transition(filing, "resubmit_to_bureau", manager)
    filing = perform_transition(filing, "approve", manager, subject_number="京ICP备2026000777号")
    steps = stepper(filing)
    assert statuses(filing) == ["done"] * 5 and steps[4]["at"] == filing.approved_at
    assert not any(step["deadline"] for step in steps)


def test_a_withdrawn_filing_shows_what_it_had_done(customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    filing = perform_transition(filing, "return_to_customer", clerk, reasons=REASON)
    filing = perform_transition(filing, "withdraw", customer)
    assert statuses(filing) == ["done", "upcoming", "upcoming", "upcoming", "upcoming"]
    assert not any(step["deadline"] for step in stepper(filing))


def test_the_filing_page_shows_the_stepper_with_the_current_step_marked(client, customer):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    client.force_login(customer)
    page = client.get(reverse("wagtail_beian_portal:filing_detail", args=[filing.pk])).content.decode()
    assert '<ol class="stepper">' in page
    assert page.count('aria-current="step"') == 1 and 'class="step-current" aria-current="step"' in page
