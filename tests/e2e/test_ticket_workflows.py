"""The four support-ticket kinds that are workflows of their own, walked end to end in a real Chromium.

The customer picks the kind on the portal's new-ticket page and lands on that workflow's form:

* new access for an existing website (with the write-only filing password) → a clerk verifies, a
  manager submits it to the bureau and completes it: an Access record appears on the website;
* cancel access → verified, submitted, completed: the website's Access record disappears;
* new access for a new website → a clerk refuses it with a reason, which the customer reads;
* claim a filing (备案归属, a real scan upload) → a manager approves it: the filing of another
  member appears under the claimant's "My filings".

The customer follows each request's state in the portal; staff see the access change on the
filing's admin detail. The filing password is checked on every page either browser receives.
"""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from playwright.sync_api import expect

from tests import claim_factories, factories
from tests.e2e.pages import (
    SecretWatch,
    admin_login,
    jpeg_file,
    label,
    open_request,
    portal_login,
    portal_nav,
    staff_action,
    submit_form,
    zh,
)
from wagtail_beian.models import (
    Access,
    AccessTransfer,
    Filing,
    FilingClaim,
    TransferDirection,
    TransferState,
    Website,
)
from wagtail_beian.models.claims import ClaimState
from wagtail_beian.services.transfers import ticket_field_code
from wagtail_beian.services.workflow import transitions_of
from wagtail_beian.tickets.types import FIELDS, PERSONAL_CERTIFICATE_CHOICES, TYPES_BY_CODE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Beian-Mima-2026!x"
MOVED_IP = "101.200.0.8"
STEP = {name: zh(t.custom["label"]) for name, t in transitions_of(AccessTransfer).items()}


def staff(new_page, url, username, group):
    factories.StaffFactory(username=username).groups.add(group)
    page = new_page()
    admin_login(page, url, username)
    return page


def approved_filing_with(owner, n, domain, *, access=True):
    """An approved filing (京, one website numbered -1) whose website is ``domain``."""
    filing = claim_factories.approved_filing(owner, n)
    Website.objects.filter(filing=filing).update(domain=domain, homepage=f"www.{domain}")
    if not access:
        Access.objects.filter(website__filing=filing).delete()
    return filing


def request_kind(page, code, shot, step):
    """The customer picks the ticket kind ``code`` and lands on its workflow's form (its heading)."""
    open_request(page, zh(TYPES_BY_CODE[code].label))
    assert "/tickets/" not in page.url, page.url  # no free-form ticket for this kind
    shot(page, step)


def fill_transfer(page, values):
    """Fill the access-transfer form: ``values`` by transfer field name (labels as the tickets')."""
    for name, value in values.items():
        field = page.get_by_label(label(zh(FIELDS[ticket_field_code("", name)].label)))
        if name == "responsible_certificate_type":
            field.select_option(label=value)
        else:
            field.fill(value)


def access_cell(page, domain):
    """The 接入 cell of ``domain``'s row on a filing's admin detail."""
    websites = page.get_by_role("region", name="网站及接入")
    return websites.get_by_role("row").filter(has_text=domain).get_by_role("cell").nth(4)


def test_access_transfers_requested_from_tickets_are_verified_completed_or_refused(
    new_page, live_server, e2e_settings, staff_groups, tmp_path, shot
):
    url = live_server.url
    customer = factories.UserFactory(username="xinghe", email="it@xinghe.example.com")
    docs = approved_filing_with(customer, 11, "xinghe-docs.cn")  # has access here: cancelled below
    shop = approved_filing_with(customer, 12, "xinghe-shop.cn", access=False)  # served elsewhere: moves here
    moved_from = Access.objects.filter(website__filing=docs).get().ip_addresses

    page = new_page()
    portal_login(page, url, "xinghe")
    clerk = staff(new_page, url, "clerk-li", staff_groups[0])
    boss = staff(new_page, url, "manager-zhao", staff_groups[1])
    watch = SecretWatch(PASSWORD, page, clerk, boss)

    # ------------------------------------------------------------------ 1. three requests in the portal
    request_kind(page, "access_existing_website", shot, "01-existing-website-form")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh(TransferDirection.INCOMING_EXISTING_WEBSITE.label))
    password = page.get_by_label(label(zh(FIELDS["filing_password"].label)))
    fill_transfer(page, {
        "filing_number": f"{shop.subject_number}-1", "organizer_name": shop.subject.name,
        "domain": "xinghe-shop.cn", "ip": "192.168.1.8", "filing_password": PASSWORD,
    })
    expect(password).to_have_attribute("type", "password")
    page.get_by_role("button", name=zh(_("Request the transfer"))).click()
    # refused at the IP (not public); the form comes back with the other values, never the password
    expect(page.get_by_role("textbox", name=label(zh(FIELDS["site_ip"].label)))).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_value("")
    shot(page, "02-existing-website-error-password-not-kept")
    fill_transfer(page, {"ip": MOVED_IP, "filing_password": PASSWORD})
    shot(page, "03-existing-website-filled")
    page.get_by_role("button", name=zh(_("Request the transfer"))).click()
    expect(page.get_by_role("status")).to_be_visible()
    moving = AccessTransfer.objects.get(target_domain="xinghe-shop.cn")
    request = page.get_by_role("region", name=zh(_("Your request")))
    expect(request).to_contain_text(zh(_("Provided")))  # F10: only whether it was given
    shot(page, "04-existing-website-requested")

    request_kind(page, "cancel_access", shot, "05-cancel-form")
    fill_transfer(page, {
        "filing_number": f"{docs.subject_number}-1", "organizer_name": docs.subject.name, "domain": "xinghe-docs.cn",
    })
    page.get_by_role("button", name=zh(_("Request the transfer"))).click()
    expect(page.get_by_role("status")).to_be_visible()
    cancelling = AccessTransfer.objects.get(target_domain="xinghe-docs.cn")

    request_kind(page, "access_new_website", shot, "06-new-website-form")
    fill_transfer(page, {
        "filing_number": f"{shop.subject_number}-1", "organizer_name": shop.subject.name,
        "original_domain": "xinghe-shop.cn", "new_domain": "xinghe-mall.cn", "new_site_name": "星河商城",
        "ip": "47.95.10.20", "responsible_name": "王小明",
        "responsible_certificate_type": zh(dict(PERSONAL_CERTIFICATE_CHOICES)["resident_id"]),
        "responsible_certificate_number": factories.valid_resident_id(77),
        "responsible_mobile": "13800138000", "responsible_email": "wang@xinghe.example.com",
    })
    shot(page, "07-new-website-filled")
    page.get_by_role("button", name=zh(_("Request the transfer"))).click()
    expect(page.get_by_role("status")).to_be_visible()
    adding = AccessTransfer.objects.get(target_domain="xinghe-mall.cn")
    assert {t.state for t in (moving, cancelling, adding)} == {TransferState.REQUESTED}

    # ------------------------------------------------------------------ 2. a clerk refuses one, verifies two
    clerk.goto(url + reverse("wagtail_beian_transfers:index"))
    expect(clerk.get_by_role("table")).to_contain_text("xinghe-docs.cn")
    shot(clerk, "08-admin-transfers")
    clerk.get_by_role("link", name=re.compile(rf"^#{adding.pk}\b")).click()
    staff_action(clerk, STEP["refuse"], reason=(
        zh(AccessTransfer._meta.get_field("ip").verbose_name), "该IP地址不是本公司为您开通的服务器地址",
        "请填写您在本公司开通的云服务器公网IP",
    ))
    expect(clerk.get_by_role("main")).to_contain_text(zh(TransferState.REFUSED.label))
    shot(clerk, "09-admin-refused")
    for transfer in (moving, cancelling):
        clerk.goto(url + reverse("wagtail_beian_transfers:inspect", args=[transfer.pk]))
        staff_action(clerk, STEP["verify"])
        expect(clerk.get_by_role("main")).to_contain_text(zh(TransferState.PROVIDER_VERIFIED.label))
    assert not clerk.get_by_role("link", name=STEP["submit_to_bureau"], exact=True).count()  # managers only
    shot(clerk, "10-admin-verified")

    # ------------------------------------------------------------------ 3. the customer follows them
    portal_nav(page, zh(_("Access transfers")))
    for transfer, state in ((moving, TransferState.PROVIDER_VERIFIED), (adding, TransferState.REFUSED)):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=transfer.target_domain))
        expect(row).to_contain_text(zh(state.label))
    shot(page, "11-portal-transfers")
    page.get_by_role("link", name="xinghe-mall.cn").click()
    reasons = page.get_by_role("region", name=zh(_("Reasons")))
    expect(reasons).to_contain_text("该IP地址不是本公司为您开通的服务器地址")
    expect(reasons).to_contain_text("请填写您在本公司开通的云服务器公网IP")
    shot(page, "12-portal-refused-with-reason")

    # ------------------------------------------------------------------ 4. a manager submits and completes
    boss.goto(url + reverse("wagtail_beian_filings:inspect", args=[shop.pk]))
    expect(access_cell(boss, "xinghe-shop.cn")).to_have_text("—")
    boss.goto(url + reverse("wagtail_beian_filings:inspect", args=[docs.pk]))
    expect(access_cell(boss, "xinghe-docs.cn")).to_contain_text(moved_from)
    for number, transfer in enumerate((moving, cancelling)):
        boss.goto(url + reverse("wagtail_beian_transfers:inspect", args=[transfer.pk]))
        staff_action(boss, STEP["submit_to_bureau"])
        expect(boss.get_by_role("main")).to_contain_text(zh(TransferState.SUBMITTED_TO_BUREAU.label))
        shot(boss, f"{13 + 2 * number}-admin-submitted-{transfer.target_domain}")
        staff_action(boss, STEP["complete"])
        expect(boss.get_by_role("main")).to_contain_text(zh(TransferState.COMPLETED.label))
        shot(boss, f"{14 + 2 * number}-admin-completed-{transfer.target_domain}")

    # the nominal access changed (F08), on the filings' admin detail
    boss.goto(url + reverse("wagtail_beian_filings:inspect", args=[shop.pk]))
    expect(access_cell(boss, "xinghe-shop.cn")).to_contain_text(MOVED_IP)
    access_cell(boss, "xinghe-shop.cn").scroll_into_view_if_needed()
    shot(boss, "17-admin-filing-access-appeared")
    boss.goto(url + reverse("wagtail_beian_filings:inspect", args=[docs.pk]))
    expect(access_cell(boss, "xinghe-docs.cn")).to_have_text("—")
    access_cell(boss, "xinghe-docs.cn").scroll_into_view_if_needed()
    shot(boss, "18-admin-filing-access-gone")
    assert list(Access.objects.filter(website__filing=shop).values_list("ip_addresses", flat=True)) == [MOVED_IP]
    assert not Access.objects.filter(website__filing=docs).exists()

    # ------------------------------------------------------------------ 5. the customer sees them done
    portal_nav(page, zh(_("Access transfers")))
    page.get_by_role("link", name="xinghe-shop.cn").click()
    expect(page.get_by_text(zh(TransferState.COMPLETED.label), exact=True)).to_be_visible()
    progress = page.get_by_role("region", name=zh(_("Progress"))).get_by_role("listitem")
    expect(progress).to_have_count(4)  # requested, verified, submitted to bureau, completed
    shot(page, "19-portal-completed")
    moving.refresh_from_db()
    cancelling.refresh_from_db()
    assert (moving.state, cancelling.state) == (TransferState.COMPLETED, TransferState.COMPLETED)
    assert not moving.has_filing_password  # purged when completed (F10)

    # F10: the password was never on any page either browser received
    assert len(watch.pages) > 20, watch.pages
    assert not watch.leaks, watch.leaks


def test_claim_from_ticket_with_a_scan_is_approved_and_the_filing_moves_to_the_claimant(
    new_page, live_server, e2e_settings, staff_groups, tmp_path, shot
):
    url = live_server.url
    factories.UserFactory(username="xinghe", email="it@xinghe.example.com")
    previous = factories.UserFactory(username="agency-old")
    theirs = approved_filing_with(previous, 21, "chenguang-tech.cn")

    page = new_page()
    portal_login(page, url, "xinghe")
    request_kind(page, "claim_filing", shot, "01-claim-form")
    expect(page.get_by_label(label(zh(FIELDS["member_email"].label)))).to_have_value("it@xinghe.example.com")
    page.get_by_label(label(zh(FIELDS["organizer_name"].label))).fill(theirs.subject.name)
    page.get_by_label(label(zh(FIELDS["filing_number"].label))).fill(f"{theirs.subject_number}-1")
    page.get_by_label(label(zh(FIELDS["domain"].label))).fill("chenguang-tech.cn")
    scan = jpeg_file(tmp_path, "营业执照")
    page.get_by_label(label(zh(FIELDS["certificate_scans"].label))).set_input_files(scan)
    shot(page, "02-claim-filled")
    page.get_by_role("button", name=zh(_("Send claim"))).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_text(zh(ClaimState.REQUESTED.label), exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(scan.name)
    shot(page, "03-claim-requested")
    claim = FilingClaim.objects.get(claimant__username="xinghe")
    assert claim.scans.count() == 1

    # a manager (verify_claim) decides it, beside the filing and the scan
    boss = staff(new_page, url, "manager-zhao", staff_groups[1])
    boss.goto(url + reverse("wagtail_beian_claims:index"))
    boss.get_by_role("link", name=re.compile(rf"^#{claim.pk}\b")).click()
    expect(boss.get_by_role("main")).to_contain_text(scan.name)
    shot(boss, "04-admin-claim-beside-filing")
    approve = zh(transitions_of(FilingClaim)["approve"].custom["label"])
    boss.get_by_role("link", name=approve, exact=True).click()
    shot(boss, "05-admin-approve-confirm")
    submit_form(boss, approve)
    expect(boss.get_by_role("main")).to_contain_text(zh(ClaimState.APPROVED.label))
    shot(boss, "06-admin-claim-approved")

    # the customer: the claim approved, the filing theirs
    portal_nav(page, zh(_("My claims")))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"#{claim.pk}", exact=True))
    expect(row).to_contain_text(zh(ClaimState.APPROVED.label))
    row.get_by_role("link").click()
    expect(page.get_by_text(zh(ClaimState.APPROVED.label), exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(theirs.subject_number)))).to_be_visible()
    shot(page, "07-portal-claim-approved")
    portal_nav(page, "我的备案")
    filings = page.get_by_role("table")
    expect(filings).to_contain_text(theirs.subject_number)
    expect(filings).to_contain_text("chenguang-tech.cn")
    shot(page, "08-portal-my-filings")
    assert Filing.objects.get(pk=theirs.pk).owner.username == "xinghe"
