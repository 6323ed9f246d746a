"""Filing claims (备案归属, F09): request, refusals with field errors, approval moves the filing,
refusal with reasons, withdrawal, permissions, the portal, the admin and the ticket path."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from tests import factories
from tests.claim_factories import approved_filing, claim_data, clean_png, make_claim
from tests.ticket_factories import TicketAttachmentFactory, TicketFactory
from wagtail_beian.exceptions import TransitionForbidden
from wagtail_beian.models import (
    Filing,
    FilingClaim,
    FilingClaimScan,
    FilingKind,
    FilingState,
    OutgoingEmail,
)
from wagtail_beian.services import claims
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.workflow import Reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def previous_owner(db):
    return factories.UserFactory(username="previous-owner")


@pytest.fixture
def kept(previous_owner):
    """An approved filing kept under another account (e.g. imported)."""
    return approved_filing(previous_owner, 11)


def field_codes(error):
    return {field: [e.code for e in errors] for field, errors in error.value.error_dict.items()}


# ----------------------------------------------------------------------------- request and approval


def test_f09_claim_approved_moves_filing_and_its_change_to_the_member(customer, manager, kept, previous_owner):
    change = start_change(kept, previous_owner)
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    assert claim.state == "requested" and claim.filing == kept and claim.scans.count() == 1
    assert OutgoingEmail.objects.filter(template="claim_new", to=manager.email).exists()

    claims.approve_claim(claim, manager, expected_state="requested")

    claim.refresh_from_db()
    assert claim.state == "approved" and claim.previous_owner == previous_owner and claim.decided_at
    assert Filing.objects.get(pk=kept.pk).owner == customer
    assert Filing.objects.get(pk=change.pk).owner == customer  # the open change moves too
    assert OutgoingEmail.objects.filter(template="claim_decided", to=customer.email).exists()
    moved = OutgoingEmail.objects.get(template="claim_filing_moved")
    assert moved.to == previous_owner.email and customer.username not in moved.text  # not told who
    actions = set(ModelLogEntry.objects.filter(object_id=str(claim.pk)).values_list("action", flat=True))
    assert {"wagtail_beian.filingclaim.request", "wagtail_beian.filingclaim.approve"} <= actions
    assert ModelLogEntry.objects.filter(object_id=str(kept.pk), action="wagtail_beian.claim_transfer").exists()


def test_f09_history_shows_the_claim_in_the_filing_and_claim_logs(client, customer, manager, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    claims.approve_claim(claim, manager)
    client.force_login(manager)
    page = client.get(reverse("wagtail_beian_claims:inspect", args=[claim.pk])).content.decode()
    assert "→" in page
    filing_history = client.get(reverse("wagtail_beian_filings:history", args=[kept.pk])).content.decode()
    assert f"#{claim.pk}" in filing_history and customer.username in filing_history


def test_f09_organizer_names_compare_full_width_brackets_and_spaces(customer, previous_owner):
    filing = approved_filing(previous_owner, 12, subject__name="北京示例科技(集团)有限公司")
    claim = claims.request_claim(
        customer, claim_data(filing, customer, organizer_name=" 北京示例科技（集团） 有限公司"), [clean_png()]
    )
    assert claim.pk


# ----------------------------------------------------------------------------- refusals: nothing written


@pytest.mark.parametrize("override,field,code", [
    ({"filing_number": "京ICP17042306"}, "filing_number", "invalid"),
    ({"filing_number": "京ICP证030173号"}, "filing_number", None),
    ({"filing_number": "京ICP备99999999号"}, "filing_number", "no_local_filing"),
    ({"domain": "not-in-this-filing.cn"}, "domain", "domain_not_in_filing"),
    ({"domain": "www.example.cn"}, "domain", "subdomain"),
    ({"organizer_name": "上海别的公司"}, "organizer_name", "organizer_mismatch"),
    ({"member_email": "someone-else@example.com"}, "member_email", "member_mismatch"),
    ({"organizer_name": ""}, "organizer_name", "required"),
])
def test_f09_refusals_name_the_field_and_write_nothing(customer, kept, override, field, code):
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer, **override), [clean_png()])
    codes = field_codes(error)
    assert field in codes
    if code:
        assert code in codes[field], codes
    assert FilingClaim.objects.count() == 0 and FilingClaimScan.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_f09_province_inconsistent_with_the_filing(customer, kept):
    number = kept.subject_number.replace("京", "沪")
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer, filing_number=number), [clean_png()])
    assert field_codes(error) == {"filing_number": ["province_mismatch"]}


def test_f09_website_number_must_belong_to_the_domain(customer, kept):
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer, filing_number=f"{kept.subject_number}-2"), [clean_png()])
    assert "domain_not_in_filing" in field_codes(error)["domain"]


def test_f09_certificate_scans_are_required(customer, kept):
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer), [])
    assert field_codes(error) == {"scans": ["required"]}


def test_f09_an_open_claim_by_the_same_member_is_refused(customer, kept):
    claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    assert field_codes(error) == {"filing_number": ["open_claim"]}
    assert FilingClaim.objects.count() == 1


def test_f09_own_filing_and_unapproved_filing_cannot_be_claimed(customer, previous_owner, kept):
    mine = approved_filing(customer, 13)
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(mine, customer), [clean_png()])
    assert field_codes(error) == {"filing_number": ["already_yours"]}
    Filing.objects.filter(pk=kept.pk).update(state=FilingState.CANCELLING)
    with pytest.raises(ValidationError) as error:
        claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    assert field_codes(error) == {"filing_number": ["not_claimable"]}


def test_f09_refusals_reveal_nothing_of_the_filing(customer, kept):
    """Wrong name and wrong domain: the messages never show the real organizer, domain or owner."""
    with pytest.raises(ValidationError) as error:
        claims.request_claim(
            customer, claim_data(kept, customer, organizer_name="别的公司", domain="guess.cn"), [clean_png()]
        )
    text = " ".join(m for messages in error.value.message_dict.values() for m in messages)
    assert kept.subject.name not in text
    assert kept.websites.get().domain not in text
    assert kept.owner.username not in text and kept.owner.email not in text


# ----------------------------------------------------------------------------- decisions


def test_f09_refusal_keeps_the_owner_and_tells_the_member_the_reasons(customer, manager, kept, previous_owner):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    with pytest.raises(ValidationError):
        claims.refuse_claim(claim, manager, [])  # reasons are required
    claims.refuse_claim(claim, manager, [Reason("scans", "营业执照扫描件模糊", "请上传清晰的彩色扫描件")])
    claim.refresh_from_db()
    assert claim.state == "refused" and claim.refusal_reasons[0]["problem"] == "营业执照扫描件模糊"
    assert Filing.objects.get(pk=kept.pk).owner == previous_owner
    email = OutgoingEmail.objects.get(template="claim_decided")
    assert email.to == customer.email and "营业执照扫描件模糊" in email.text
    # a refused claim is not open: the member may claim again
    assert claims.request_claim(customer, claim_data(kept, customer), [clean_png()]).pk != claim.pk


def test_f09_only_managers_decide_claims(customer, clerk, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    for user in (clerk, customer):
        with pytest.raises(TransitionForbidden):
            claims.approve_claim(claim, user)
    assert FilingClaim.objects.get(pk=claim.pk).state == "requested"
    assert Filing.objects.get(pk=kept.pk).owner != customer


def test_f09_approval_of_a_filing_no_longer_approved_moves_nothing(customer, manager, kept, previous_owner):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    Filing.objects.filter(pk=kept.pk).update(state=FilingState.CANCELLED)
    with pytest.raises(ValidationError) as error:
        claims.approve_claim(claim, manager)
    assert error.value.code == "filing_not_approved"
    assert FilingClaim.objects.get(pk=claim.pk).state == "requested"
    assert Filing.objects.get(pk=kept.pk).owner == previous_owner
    assert not OutgoingEmail.objects.filter(template="claim_decided").exists()


def test_f09_member_withdraws_but_another_member_cannot(customer, other_customer, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    with pytest.raises(TransitionForbidden):
        claims.withdraw_claim(claim, other_customer)
    claims.withdraw_claim(claim, customer)
    assert FilingClaim.objects.get(pk=claim.pk).state == "withdrawn"


# ----------------------------------------------------------------------------- portal


def test_f09_portal_claim_form_end_to_end(client, customer, kept):
    client.force_login(customer)
    assert client.get(reverse("wagtail_beian_portal:ticket_new"), {"type": "claim_filing"})["Location"] == reverse(
        "wagtail_beian_portal:claim_new"
    )
    form = client.get(reverse("wagtail_beian_portal:claim_new")).content.decode()
    assert customer.email in form  # the member e-mail is pre-filled
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = claim_data(kept, customer, organizer_name="错误的名称")
    data["scans"] = SimpleUploadedFile("licence.png", factories.png_bytes(320, 240), content_type="image/png")
    with translation.override("en"):
        response = client.post(reverse("wagtail_beian_portal:claim_new"), data)
    assert response.status_code == 400 and "organizer name does not match" in response.content.decode()
    assert FilingClaim.objects.count() == 0

    data = claim_data(kept, customer)
    data["scans"] = SimpleUploadedFile("licence.png", factories.png_bytes(320, 240), content_type="image/png")
    response = client.post(reverse("wagtail_beian_portal:claim_new"), data)
    claim = FilingClaim.objects.get()
    assert response["Location"] == reverse("wagtail_beian_portal:claim_detail", args=[claim.pk])
    detail = client.get(response["Location"]).content.decode()
    assert kept.websites.get().domain in detail  # what they typed
    assert kept.owner.username not in detail and kept.subject.responsible_name not in detail
    scan = claim.scans.get()
    download = client.get(reverse("wagtail_beian_portal:claim_scan", args=[claim.pk, scan.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    listing = client.get(reverse("wagtail_beian_portal:claim_list")).content.decode()
    assert claim.filing_number in listing
    client.post(reverse("wagtail_beian_portal:claim_withdraw", args=[claim.pk]), {"expected_state": "requested"})
    assert FilingClaim.objects.get().state == "withdrawn"


# ----------------------------------------------------------------------------- admin


def test_f09_admin_manager_compares_and_approves(client, customer, manager, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    client.force_login(manager)
    page = client.get(reverse("wagtail_beian_claims:inspect", args=[claim.pk])).content.decode()
    assert kept.subject.name in page and reverse("wagtail_beian_claims:scan", args=[claim.pk, claim.scans.get().pk]) in page
    scan = client.get(reverse("wagtail_beian_claims:scan", args=[claim.pk, claim.scans.get().pk]))
    assert scan.status_code == 200 and scan["Content-Security-Policy"].startswith("default-src 'none'")
    assert "attachment" in scan["Content-Disposition"]
    response = client.post(reverse("wagtail_beian_claims:transition", args=[claim.pk, "approve"]), {"expected_state": "requested"})
    assert response.status_code == 302
    assert Filing.objects.get(pk=kept.pk).owner == customer


def test_f09_admin_refuse_needs_a_reason(client, customer, manager, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    client.force_login(manager)
    url = reverse("wagtail_beian_claims:transition", args=[claim.pk, "refuse"])
    formset = {"reasons-TOTAL_FORMS": "3", "reasons-INITIAL_FORMS": "0"}
    assert client.post(url, {"expected_state": "requested", **formset}).status_code == 400
    assert FilingClaim.objects.get(pk=claim.pk).state == "requested"
    client.post(url, {
        "expected_state": "requested", **formset,
        "reasons-0-field": "scans", "reasons-0-problem": "扫描件不清晰", "reasons-0-suggestion": "重新上传",
    })
    claim.refresh_from_db()
    assert claim.state == "refused" and claim.refusal_reasons == [
        {"field": "scans", "problem": "扫描件不清晰", "suggestion": "重新上传"}
    ]


def test_f09_clerk_sees_claims_but_cannot_decide(client, customer, clerk, kept):
    claim = claims.request_claim(customer, claim_data(kept, customer), [clean_png()])
    client.force_login(clerk)
    assert client.get(reverse("wagtail_beian_claims:inspect", args=[claim.pk])).status_code == 200
    client.post(reverse("wagtail_beian_claims:transition", args=[claim.pk, "approve"]), {"expected_state": "requested"})
    assert FilingClaim.objects.get(pk=claim.pk).state == "requested"


@pytest.mark.parametrize("size", [2, 12])
def test_f09_admin_listing_query_count_is_constant(client, manager, django_assert_max_num_queries, size):
    owner = factories.UserFactory(username="kept-owner")
    for i in range(size):
        member = factories.UserFactory(username=f"member{i}")
        make_claim(member, approved_filing(owner, 100 + i))
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("wagtail_beian_claims:index"))
    assert response.status_code == 200 and response.content.decode().count("/beian/claims/inspect/") >= size


# ----------------------------------------------------------------------------- ticket


def claim_ticket(customer, kept, **fields):
    values = {
        "member_email": customer.email, "organizer_name": kept.subject.name,
        "filing_number": kept.subject_number, "domain": kept.websites.get().domain, **fields,
    }
    ticket = TicketFactory(owner=customer, request_type="claim_filing", fields=values)
    TicketAttachmentFactory(ticket=ticket, field="certificate_scans")
    return ticket


def test_f09_staff_start_the_claim_of_a_claim_ticket(client, customer, manager, kept):
    ticket = claim_ticket(customer, kept)
    client.force_login(manager)
    page = client.get(reverse("wagtail_beian_tickets:inspect", args=[ticket.pk])).content.decode()
    start = reverse("wagtail_beian_claims:from_ticket", args=[ticket.pk])
    assert start in page
    response = client.post(start)
    claim = FilingClaim.objects.get()
    assert response["Location"] == reverse("wagtail_beian_claims:inspect", args=[claim.pk])
    assert claim.claimant == customer and claim.ticket == ticket and claim.scans.count() == 1
    assert ticket.messages.filter(is_staff=True, body__contains=f"#{claim.pk}").exists()
    client.post(start)  # twice: still one claim
    assert FilingClaim.objects.count() == 1


def test_f09_a_wrong_claim_ticket_starts_nothing_and_says_why(client, customer, manager, kept):
    ticket = claim_ticket(customer, kept, organizer_name="别的公司")
    client.force_login(manager)
    with translation.override("en"):
        response = client.post(reverse("wagtail_beian_claims:from_ticket", args=[ticket.pk]), follow=True)
    assert "organizer name does not match" in response.content.decode()
    assert FilingClaim.objects.count() == 0 and ticket.messages.count() == 0


def test_f09_claimed_change_filings_keep_their_kind(customer, manager, kept, previous_owner):
    change = start_change(kept, previous_owner)
    claims.approve_claim(claims.request_claim(customer, claim_data(kept, customer), [clean_png()]), manager)
    assert Filing.objects.filter(owner=customer, kind=FilingKind.CHANGE).get() == change
