"""A clerk's day in the admin (issue 12), in Chromium, zh-Hans, as the manager, the clerk and the
customer each see it: the manager assigns the filing; the clerk finds it under “assigned to me”,
sees every scan in the page (images and PDF pages), accepts each one, returns the filing with a
field reason; the customer fixes the field; the clerk sees the change before → after, confirms it
and verifies; after approval the customer asks for cancellation, the manager confirms it with a
reason and the customer reads that reason. Screenshots in tests/e2e/screenshots/<test>/.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import admin_login, choose, give_reason, label, portal_login, staff_action, submit_form, zh
from wagtail_beian.models import Filing, FilingState, ReasonStatus
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
S = FilingState
NEW_ADDRESS_SUFFIX = "1101室"


def inspect(filing):
    return reverse("wagtail_beian_filings:inspect", args=[filing.pk])


def test_a_clerk_s_day_assign_review_return_confirm_verify_cancel(new_page, live_server, e2e_settings, staff_groups, shot):
    clerk = factories.StaffFactory(username="clerk-li", first_name="李", last_name="")
    clerk.groups.add(staff_groups[0])
    manager = factories.StaffFactory(username="manager-zhao")
    manager.groups.add(staff_groups[1])
    customer = factories.UserFactory(username="xinghe", email="it@xinghe.example.com")
    filing = perform_transition(factories.FilingFactory(owner=customer, documents="pending"), "submit", customer)
    organizer = filing.subject.name
    url = live_server.url

    # ------------------------------------------------------------ 1. the manager assigns the filing
    boss = new_page()
    admin_login(boss, url, "manager-zhao")
    boss.goto(url + inspect(filing))
    boss.get_by_role("button", name=re.compile("^(更多|动作|操作)")).first.click()
    boss.get_by_role("link", name="分配", exact=True).click()
    choose(boss.get_by_label(label("经办人")), r"clerk-li")
    shot(boss, "01-manager-assigns", full_page=False)
    submit_form(boss, "分配")
    expect(boss.locator(".messages")).to_contain_text("clerk-li")
    assert Filing.objects.get(pk=filing.pk).assigned_to == clerk

    # ------------------------------------------------------------ 2. the clerk finds it and reviews every scan
    staff = new_page()
    admin_login(staff, url, "clerk-li")
    staff.goto(url + reverse("wagtail_beian_filings:index") + "?assignment=mine")
    expect(staff.get_by_role("link", name=re.compile(re.escape(organizer)))).to_have_count(1)
    shot(staff, "02-clerk-assigned-to-me", full_page=False)
    staff.get_by_role("link", name=re.compile(re.escape(organizer))).first.click()
    blocked = staff.locator(".beian-blocked")
    expect(blocked).to_contain_text("核实通过")  # says what verification waits for (the scans)
    expect(staff.get_by_role("link", name="核实通过")).to_have_count(0)
    shot(staff, "03-clerk-filing-waits-for-review", full_page=False)
    with staff.expect_navigation():
        staff.get_by_role("link", name="审核", exact=True).first.click()
    expect(staff.get_by_role("navigation", name="本备案的扫描件")).to_contain_text("第 1 份")  # the page's order
    seen_pdf = False
    for _scan in range(30):
        if staff.get_by_label("通过", exact=True).count() == 0:
            break
        images = staff.locator("main img")
        expect(images.first).to_be_visible()
        for index in range(images.count()):  # every preview really loads (image or PDF page)
            images.nth(index).scroll_into_view_if_needed()
            # lazy images load once in view: wait for this one, then it must have pixels
            staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.nth(index).element_handle())
        if staff.locator(".beian-pdf-page").count():
            if not seen_pdf:
                shot(staff, "04-clerk-reviews-a-pdf-in-the-page", full_page=False)
            seen_pdf = True
        staff.get_by_label("通过", exact=True).check()
        with staff.expect_navigation():
            staff.get_by_role("button", name=re.compile("^保存")).click()
        staff.wait_for_load_state()
    assert seen_pdf, "no PDF scan was previewed"

    # ------------------------------------------------------------ 3. the clerk returns it with a field reason
    staff_action(staff, "核实退回", (r"通讯地址$", "通讯地址需写到门牌号和房间号", "例如：中关村大街27号1101室"))
    expect(staff.get_by_role("main")).to_contain_text(zh(S.RETURNED.label))

    # ------------------------------------------------------------ 4. the customer fixes the field, resubmits
    page = new_page()
    portal_login(page, url, "xinghe")
    page.goto(url + reverse("wagtail_beian_portal:filing_detail", args=[filing.pk]))
    expect(page.get_by_role("region", name="退回原因")).to_contain_text("待修改")
    page.get_by_role("link", name="修改标出的字段").click()
    field = page.get_by_label(label("通讯地址"))
    old_address = field.input_value()
    field.fill(old_address + NEW_ADDRESS_SUFFIX)
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("navigation", name="备案步骤").get_by_role("link", name="检查并提交").click()
    page.get_by_role("button", name="提交接入商核实").click()
    expect(page.get_by_role("status")).to_contain_text("已提交")
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED

    # ------------------------------------------------------------ 5. the clerk sees before → after, confirms, verifies
    staff.goto(url + inspect(filing))
    reason = staff.locator("section:has(#beian-reasons) tbody tr").first
    expect(reason).to_contain_text(f"{old_address} → {old_address}{NEW_ADDRESS_SUFFIX}")
    expect(reason).to_contain_text("已修改，待确认")
    expect(staff.locator(".beian-blocked")).to_contain_text("通讯地址需写到门牌号和房间号")
    reason.scroll_into_view_if_needed()
    shot(staff, "05-clerk-sees-the-change", full_page=False)
    reason.get_by_role("button", name="确认").click()
    expect(staff.locator(".messages")).to_contain_text("已确认")
    assert filing.reasons.get().status == ReasonStatus.CONFIRMED
    staff_action(staff, "核实通过")
    expect(staff.get_by_role("main")).to_contain_text(zh(S.VERIFIED.label))
    shot(staff, "06-clerk-verified", full_page=False)

    # ------------------------------------------------------------ 6. the manager's workload view
    boss.goto(url + reverse("wagtail_beian_reports:workload"))
    row = boss.get_by_role("row", name=re.compile("clerk-li"))
    expect(row).to_contain_text("1")
    shot(boss, "07-manager-workload", full_page=False)

    # ------------------------------------------------------------ 7. approval, then cancellation with a reason
    boss.goto(url + inspect(filing))
    for action in ("提交管局", "登记短信核验通过"):
        staff_action(boss, action)
    boss.get_by_role("link", name="登记备案通过").click()
    boss.get_by_label(label("管局回复的主体备案号")).fill("京ICP备2026004321号")
    submit_form(boss, "登记备案通过")
    expect(boss.get_by_role("main")).to_contain_text(zh(S.APPROVED.label))

    page.goto(url + reverse("wagtail_beian_portal:filing_cancel", args=[filing.pk]))
    expect(page.get_by_role("main")).to_contain_text("不可撤销")
    page.get_by_label(re.compile("原因")).fill("公司已停止经营该业务")
    page.get_by_role("button", name=re.compile("注销")).click()
    expect(page.get_by_role("status")).to_be_visible()

    boss.goto(url + inspect(filing))
    boss.get_by_role("link", name="确认注销", exact=True).click()
    expect(boss.get_by_role("alert")).to_contain_text("不可撤销")
    boss.get_by_label(re.compile("原因")).fill("已核实客户注销申请，主体及网站一并注销")
    shot(boss, "08-manager-confirms-cancellation", full_page=False)
    submit_form(boss, "确认注销")
    expect(boss.get_by_role("main")).to_contain_text(zh(S.CANCELLED.label))

    page.goto(url + reverse("wagtail_beian_portal:filing_detail", args=[filing.pk]))
    expect(page.get_by_role("region", name="办理记录")).to_contain_text("已核实客户注销申请，主体及网站一并注销")
    shot(page, "09-customer-reads-why")
