"""A filing state carries its meaning beside its enum (models/states.py); nothing else lists states."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from wagtail_beian.models import DeadlineKind, Filing, FilingState
from wagtail_beian.models.states import (
    CUSTOMER_EDITABLE_STATES,
    FILING_STATES,
    OPEN_STATES,
    PROVIDER_EDITABLE_STATES,
    TERMINAL_STATES,
)
from wagtail_beian.rules import deadlines
from wagtail_beian.services.workflow import transitions_of

S = FilingState


def test_every_filing_state_has_its_metadata():
    """Adding a state to the enum without its StateInfo row fails here (and at import)."""
    assert set(FILING_STATES) == set(FilingState)
    for state, info in FILING_STATES.items():
        assert info.turn in {"customer", "provider", "bureau", ""}, state
        assert str(info.next_step), state
        assert not (info.terminal and info.in_progress), state
        assert info.deadline in {"", *DeadlineKind.values}, state


def test_f01_who_may_edit_comes_from_the_state_metadata():
    assert CUSTOMER_EDITABLE_STATES == {S.DRAFT, S.RETURNED, S.BUREAU_REJECTED}
    assert PROVIDER_EDITABLE_STATES == {S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.BUREAU_REJECTED}
    assert TERMINAL_STATES == {S.CANCELLED, S.WITHDRAWN}
    # the partial unique constraint of open changes names them in the enum's order (migration 0010)
    assert OPEN_STATES == [S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.SMS_CHECK, S.BUREAU_REVIEW, S.BUREAU_REJECTED]


@pytest.mark.django_db  # working days read the holiday table
@pytest.mark.parametrize("state", list(FilingState))
def test_f04_entering_a_state_starts_its_deadline_and_only_its_own(state):
    filing = Filing()
    filing._enter(state)
    kind = FILING_STATES[state].deadline
    assert filing.deadline_kind == kind
    assert (filing.deadline_at is None) == (not kind)


def test_f04_every_transition_targets_a_state_whose_deadline_the_transition_sets():
    """Each transition of a filing calls _enter with its own target (read from the source)."""
    import inspect

    for name, transition in transitions_of(Filing).items():
        source = inspect.getsource(getattr(Filing, name))
        if "_enter(" in source:
            assert f"_enter(S.{FilingState(transition.target).name}" in source, name


@pytest.mark.django_db
def test_the_portal_shows_each_state_s_next_step_in_chinese(client):
    customer = factories.UserFactory(username="states-customer")
    filing = factories.FilingFactory(owner=customer)
    client.force_login(customer)
    for state in [S.DRAFT, S.SMS_CHECK, S.APPROVED]:
        Filing.objects.filter(pk=filing.pk).update(state=state)
        page = client.get(reverse("wagtail_beian_portal:filing_detail", args=[filing.pk])).content.decode()
        with translation.override("zh-hans"):
            assert str(FILING_STATES[state].next_step) in page


def test_the_policy_module_is_where_deadline_lengths_live():
    assert deadlines.WORKDAYS == {"provider": 5, "bureau": 20, "website": 7} and deadlines.HOURS == {"sms": 24}
    assert set(DeadlineKind.values) == {deadlines.PROVIDER, deadlines.SMS, deadlines.BUREAU, deadlines.WEBSITE_ADDITION}
