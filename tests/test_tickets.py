"""Service-support tickets: request types as data, validation, the filing password (F10), states.

The per-type tests are generated from ``wagtail_beian.tickets.types.REQUEST_TYPES``: every required
field of every type is left out once, and every type is opened once with all its fields.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from tests import factories
from tests.ticket_factories import FILING_PASSWORD, TicketFactory, clean_png, complete_fields
from wagtail_beian.exceptions import TransitionForbidden, TransitionNotAllowed
from wagtail_beian.models import Ticket, TicketAttachment, TicketMessage, TicketState
from wagtail_beian import crypto
from wagtail_beian.services import tickets as services
from wagtail_beian.tickets.types import FIELDS, REQUEST_TYPES, TYPES_BY_CODE, validate_ticket_fields

MISSING_CASES = [(t.code, code) for t in REQUEST_TYPES for code in t.required]


# ----------------------------------------------------------------------------- the types data


def test_request_types_are_exactly_the_domain_table():
    """DOMAIN.md "Service-support tickets": the required fields per request type, as labels."""
    expected = {
        "New filing — documents": ["organizer name", "domain"],
        "New filing — conflict": ["organizer name", "domain"],
        "Change filing — documents": ["organizer name", "filing number", "domain"],
        "Change filing — conflict": ["organizer name", "filing number", "domain"],
        "New access — existing host, new website": ["organizer name", "filing number", "domain already filed", "new domain"],
        "New access — existing website requests access": [
            "organizer name", "filing number", "domain already filed", "filing password"],
        "Cancel filing — subject": ["organizer name", "filing number", "domain"],
        "Cancel filing — website": ["organizer name", "filing number", "domain to cancel"],
        "Cancel access": ["organizer name", "filing number", "domain whose access is cancelled"],
        "Claim a filing": ["member e-mail", "organizer name", "filing number", "domain", "certificate scans"],
    }
    with translation.override("en"):
        got = {str(t.label): [str(FIELDS[c].label) for c in t.required] for t in REQUEST_TYPES}
    assert got == expected


def test_new_access_for_a_new_website_also_asks_for_the_site_and_its_responsible_person():
    codes = set(TYPES_BY_CODE["access_new_website"].optional)
    assert {"site_name", "site_ip", "pre_approval_note", "responsible_name", "responsible_certificate_type",
            "responsible_certificate_number", "responsible_office_phone", "responsible_mobile",
            "responsible_email"} <= codes


def test_type_labels_and_field_labels_are_chinese():
    with translation.override("zh-hans"):
        assert str(TYPES_BY_CODE["claim_filing"].label) == "备案归属"
        assert str(FIELDS["filing_password"].label) == "备案密码"
        assert str(FIELDS["organizer_name"].label) == "主办单位名称"


@pytest.mark.parametrize("type_code,missing", MISSING_CASES, ids=[f"{t}-{c}" for t, c in MISSING_CASES])
def test_each_missing_required_field_is_refused_by_name(type_code, missing):
    data = complete_fields(type_code)
    data.pop(missing)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_ticket_fields(type_code, data)
    errors = caught.value.message_dict
    assert list(errors) == [missing]
    with translation.override("zh-hans"):
        label = str(FIELDS[missing].label)
    assert label in errors[missing][0]


@pytest.mark.parametrize("type_code,missing", MISSING_CASES, ids=[f"{t}-{c}" for t, c in MISSING_CASES])
def test_a_blank_required_field_counts_as_missing(type_code, missing):
    data = complete_fields(type_code)
    data[missing] = [] if FIELDS[missing].files else "   "
    with pytest.raises(ValidationError) as caught:
        validate_ticket_fields(type_code, data)
    assert missing in caught.value.message_dict


def test_all_missing_fields_are_named_at_once():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_ticket_fields("claim_filing", {})
    assert set(caught.value.message_dict) == set(TYPES_BY_CODE["claim_filing"].required)


@pytest.mark.parametrize("type_code", list(TYPES_BY_CODE))
def test_all_fields_present_are_accepted(type_code):
    cleaned = validate_ticket_fields(type_code, complete_fields(type_code))
    assert set(cleaned) == set(TYPES_BY_CODE[type_code].field_codes)


@pytest.mark.parametrize("type_code", list(TYPES_BY_CODE))
def test_required_fields_alone_are_accepted_and_nothing_else_is_kept(type_code):
    data = complete_fields(type_code, optional=False)
    data["not_a_field"] = "dropped"
    cleaned = validate_ticket_fields(type_code, data)
    assert set(cleaned) == set(TYPES_BY_CODE[type_code].required)


def test_values_are_normalised_by_the_rules():
    cleaned = validate_ticket_fields("change_filing_documents", {
        "organizer_name": "  北京示例   科技有限公司 ", "filing_number": "京ICP备17042306号－4",
        "domain": "例子。中国",
    })
    assert cleaned["organizer_name"] == "北京示例 科技有限公司"
    assert cleaned["filing_number"] == "京ICP备17042306号-4"
    assert cleaned["domain"] == "xn--fsqu00a.xn--fiqs8s"


def test_bad_values_are_refused_at_their_field_with_the_rule_message():
    data = complete_fields("access_new_website")
    data.update(new_domain="www.example.net", filing_number="京ICP证030173号", site_ip="10.0.0.1",
                responsible_certificate_number="110105198506150000", responsible_mobile="12345")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_ticket_fields("access_new_website", data)
    errors = caught.value.message_dict
    assert set(errors) == {"new_domain", "filing_number", "site_ip", "responsible_certificate_number",
                           "responsible_mobile"}
    assert "licence" in errors["filing_number"][0]
    assert errors["new_domain"][0].startswith("New domain:")


def test_certificate_number_needs_its_type():
    data = complete_fields("access_new_website")
    data.pop("responsible_certificate_type")
    with pytest.raises(ValidationError) as caught:
        validate_ticket_fields("access_new_website", data)
    assert set(caught.value.message_dict) == {"responsible_certificate_number"}


def test_unknown_request_type_is_refused():
    with pytest.raises(ValidationError):
        validate_ticket_fields("nonsense", {})


# ----------------------------------------------------------------------------- opening tickets


@pytest.mark.django_db
@pytest.mark.parametrize("type_code", list(TYPES_BY_CODE))
def test_f09_each_type_opens_a_ticket(customer, type_code):
    ticket = services.open_ticket(customer, type_code, complete_fields(type_code), message="请处理")
    assert ticket.state == TicketState.OPEN
    assert "filing_password" not in ticket.fields
    assert ticket.has_filing_password == ("filing_password" in TYPES_BY_CODE[type_code].field_codes)
    for code in TYPES_BY_CODE[type_code].required:
        if FIELDS[code].files:
            assert ticket.attachments.filter(field=code).count() == 1
        elif not FIELDS[code].secret:
            assert ticket.fields[code]
    assert ModelLogEntry.objects.filter(object_id=str(ticket.pk), action="wagtail_beian.ticket.open").exists()


@pytest.mark.django_db
def test_a_refused_ticket_saves_nothing(customer):
    data = complete_fields("claim_filing")
    data.pop("domain")
    with pytest.raises(ValidationError):
        services.open_ticket(customer, "claim_filing", data, message="x", attachments=[clean_png()])
    assert not Ticket.objects.exists()
    assert not TicketMessage.objects.exists()
    assert not TicketAttachment.objects.exists()


@pytest.mark.django_db
def test_f09_claim_stores_the_scans_in_private_storage(customer):
    ticket = services.open_ticket(customer, "claim_filing", complete_fields("claim_filing"))
    scan = ticket.attachments.get()
    assert scan.field == "certificate_scans" and scan.content_type == "image/png"
    assert scan.original_name == "licence.png" and "licence" not in scan.file.name
    with pytest.raises(ValueError):
        _ = scan.file.url  # private storage: no URL at all
    assert scan.file.read().startswith(b"\x89PNG")


@pytest.mark.django_db
def test_customer_may_link_only_an_own_filing(customer, other_customer):
    own = factories.FilingFactory(owner=customer)
    foreign = factories.FilingFactory(owner=other_customer)
    data = complete_fields("new_filing_documents")
    with pytest.raises(ValidationError) as caught:
        services.open_ticket(customer, "new_filing_documents", data, filing=foreign)
    assert "filing" in caught.value.message_dict
    assert not Ticket.objects.exists()
    ticket = services.open_ticket(customer, "new_filing_documents", data, filing=own)
    assert ticket.filing == own


@pytest.mark.django_db
def test_staff_link_any_filing_of_the_customer_but_not_another_customers(customer, other_customer, clerk):
    ticket = TicketFactory(owner=customer)
    filing = factories.FilingFactory(owner=customer)
    assert services.link_filing(ticket, clerk, filing).filing == filing
    with pytest.raises(ValidationError):
        services.link_filing(ticket, clerk, factories.FilingFactory(owner=other_customer))


# ----------------------------------------------------------------------------- F10 filing password


def _raw_password_column(ticket):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT filing_password_encrypted FROM {Ticket._meta.db_table} WHERE id = %s", [ticket.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_f10_filing_password_is_encrypted_at_rest(customer):
    ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"))
    raw = _raw_password_column(ticket)
    assert raw and FILING_PASSWORD not in raw
    assert crypto.decrypt_secret(raw) == FILING_PASSWORD
    # the request data (JSON) and every other column hold no trace of it
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Ticket._meta.db_table} WHERE id = %s", [ticket.pk])
        row = cursor.fetchone()
    assert not any(FILING_PASSWORD in str(value) for value in row)
    assert FILING_PASSWORD not in str(ticket) and FILING_PASSWORD not in repr(ticket)


@pytest.mark.django_db
def test_f10_key_comes_from_the_beian_secret_when_set(customer):
    ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"))
    token = _raw_password_column(ticket)
    with override_settings(WAGTAIL_BEIAN_SECRET_KEY="another-secret"):
        assert crypto.decrypt_secret(token) is None  # a different key cannot read it
        other = crypto.encrypt_secret(FILING_PASSWORD)
        assert crypto.decrypt_secret(other) == FILING_PASSWORD
    assert crypto.decrypt_secret(other) is None
    assert crypto.derive_key(b"x") == crypto.derive_key(b"x") != crypto.derive_key(b"y")


@pytest.mark.django_db
def test_f10_filing_password_is_in_no_log_entry(customer, clerk):
    ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"),
                                  message="见附件")
    services.add_reply(ticket, clerk, "已收到")
    services.assign_ticket(ticket, clerk, clerk)
    services.resolve_ticket(ticket, clerk)
    entries = ModelLogEntry.objects.filter(object_id=str(ticket.pk))
    assert entries.count() >= 4
    token = crypto.encrypt_secret(FILING_PASSWORD)[:10]
    for entry in entries:
        text = str(entry.data) + entry.label + str(entry.action)
        assert FILING_PASSWORD not in text and "filing_password" not in text and token not in text


@pytest.mark.django_db
def test_f10_filing_password_is_purged_when_the_ticket_is_resolved(customer, clerk):
    ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"))
    assert _raw_password_column(ticket)
    services.resolve_ticket(ticket, clerk)
    assert _raw_password_column(ticket) == ""
    ticket.refresh_from_db()
    assert not ticket.has_filing_password
    # reopening does not bring it back
    services.reopen_ticket(ticket, customer)
    assert _raw_password_column(ticket) == ""


@pytest.mark.django_db
def test_f10_filing_password_never_in_the_request_json(customer):
    ticket = TicketFactory(owner=customer, request_type="access_existing_website")
    ticket.fields["filing_password"] = FILING_PASSWORD
    with pytest.raises(ValidationError) as caught:
        ticket.full_clean()
    assert "fields" in caught.value.message_dict


@pytest.mark.django_db
def test_f10_field_rows_show_only_whether_the_password_was_provided(customer):
    ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"))
    with translation.override("zh-hans"):
        rows = {code: str(value) for code, label, value, required in ticket.field_rows()}
    assert rows["filing_password"] == "已填写"
    assert FILING_PASSWORD not in " ".join(rows.values())


# ----------------------------------------------------------------------------- states


@pytest.mark.django_db
def test_replies_move_the_ticket_between_waiting_states(customer, clerk):
    ticket = TicketFactory(owner=customer)
    services.add_reply(ticket, clerk, "请补充营业执照")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_CUSTOMER
    services.add_reply(ticket, customer, "已补充", [clean_png()])
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_STAFF
    assert [m.is_staff for m in ticket.messages.all()] == [True, False]
    assert ticket.messages.last().attachments.count() == 1
    entries = ModelLogEntry.objects.filter(object_id=str(ticket.pk)).values_list("action", flat=True)
    assert {"wagtail_beian.ticket.staff_reply", "wagtail_beian.ticket.customer_reply"} <= set(entries)


@pytest.mark.django_db
def test_an_empty_reply_is_refused(customer):
    ticket = TicketFactory(owner=customer)
    with pytest.raises(ValidationError):
        services.add_reply(ticket, customer, "  ")
    assert not TicketMessage.objects.exists()


@pytest.mark.django_db
def test_only_staff_who_handle_tickets_resolve(customer, other_customer, clerk, manager):
    ticket = TicketFactory(owner=customer)
    for user in (customer, other_customer):
        with pytest.raises(TransitionForbidden):
            services.resolve_ticket(ticket, user)
    plain = factories.StaffFactory(username="plain")
    with pytest.raises(TransitionForbidden):
        services.resolve_ticket(ticket, plain)
    with pytest.raises(TransitionForbidden):
        services.add_reply(ticket, other_customer, "我来回答")  # another customer is not staff
    assert services.resolve_ticket(ticket, manager).state == TicketState.RESOLVED


@pytest.mark.django_db
def test_resolved_then_closed_is_final(customer, clerk):
    ticket = TicketFactory(owner=customer)
    ticket = services.resolve_ticket(ticket, clerk)
    with pytest.raises(TransitionNotAllowed):
        services.add_reply(ticket, clerk, "再补充一句")
    ticket = services.close_ticket(ticket, customer)
    assert ticket.state == TicketState.CLOSED and ticket.closed_at
    for action in (services.reopen_ticket, services.resolve_ticket):
        with pytest.raises(TransitionNotAllowed):
            action(ticket, clerk)


@pytest.mark.django_db
@override_settings(WAGTAIL_BEIAN_TICKET_REOPEN_DAYS=3)
def test_reopen_within_the_period_after_resolution(customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=3, hours=-1))
    ticket.refresh_from_db()
    ticket = services.reopen_ticket(ticket, customer)
    assert ticket.state == TicketState.WAITING_STAFF and ticket.resolved_at is None


@pytest.mark.django_db
@override_settings(WAGTAIL_BEIAN_TICKET_REOPEN_DAYS=3)
def test_reopen_after_the_period_is_refused_with_a_reason(customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    ticket.refresh_from_db()
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as caught:
        services.reopen_ticket(ticket, customer)
    assert "3 days" in caught.value.message
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    # the state machine itself agrees (no button either)
    assert "reopen" not in {t.name for t in ticket.get_available_user_state_transitions(customer)}


@pytest.mark.django_db
def test_reopen_period_defaults_to_seven_days(customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    assert ticket.can_reopen_until - ticket.resolved_at == datetime.timedelta(days=7)
    assert not ticket.can_reopen_now(ticket.resolved_at + datetime.timedelta(days=7, seconds=1))


@pytest.mark.django_db
def test_another_customer_cannot_reopen_or_close(customer, other_customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    for action in (services.reopen_ticket, services.close_ticket):
        with pytest.raises(TransitionForbidden):
            action(ticket, other_customer)


@pytest.mark.django_db
def test_state_is_protected(customer):
    ticket = TicketFactory(owner=customer)
    with pytest.raises(AttributeError):
        ticket.state = TicketState.CLOSED


@pytest.mark.django_db
def test_transition_log_reads_in_chinese(customer, clerk):
    ticket = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    entry = ModelLogEntry.objects.get(object_id=str(ticket.pk), action="wagtail_beian.ticket.resolve")
    with translation.override("zh-hans"):
        assert entry.message == "解决: 待处理 → 已解决"
        assert str(log_registry.get_action_label(entry.action)) == "解决"


@pytest.mark.django_db
def test_staff_are_emailed_on_new_tickets_and_customers_on_staff_replies(
    customer, clerk, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.open_ticket(customer, "access_existing_website", complete_fields("access_existing_website"))
    staff_mail = [m for m in mailoutbox if clerk.email in m.to or manager.email in m.to]
    assert staff_mail and all(FILING_PASSWORD not in m.body for m in mailoutbox)
    assert f"#{ticket.pk}" in staff_mail[0].subject
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(ticket, clerk, "请上传营业执照扫描件。")
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert "请上传营业执照扫描件。" in mailoutbox[0].body
    assert "服务支持" in mailoutbox[0].subject or "工单" in mailoutbox[0].subject
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(ticket, customer, "已上传")
    assert mailoutbox == []  # customers' own replies are not mailed back to them
