"""A filing from sign-up to the number in a hosted site's footer, in a real Chromium, in zh-Hans,
the customer on a desktop and on a phone 390 px wide (issue 13).

customer signs up → filing wizard with real JPEG and PDF uploads, the verification sheet generated
by the portal, downloaded, read and uploaded → submits and sees the stepper move; clerk returns it
with a reason at the mailing address; the customer sees the reason at that field, fixes it,
resubmits; clerk verifies; manager submits to the bureau, records the SMS check and approves with a
number; the customer copies the footer code; the sandbox home page, served under the filed domain,
shows the number linked to MIIT.
"""

import re

import pypdfium2
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import E2E_DOMAIN
from tests.e2e.pages import admin_login, give_reason, jpeg_file, label, pdf_file, review_all_scans, staff_action, zh
from wagtail_beian.models import Filing, FilingState

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUBJECT_NUMBER = "京ICP备2026012345号"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ORGANIZER = "北京星河网络科技有限公司"


def portal(name, *args):
    return reverse(f"wagtail_beian_portal:{name}", args=args)


def pdf_text(path):
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def stepper_current(page):
    return page.locator("ol.stepper li[aria-current=step] .step-label")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_customer_files_clerk_returns_customer_fixes_manager_approves_footer_shows_number(
    new_page, live_server, e2e_settings, staff_groups, tmp_path, shot, screen
):
    clerk = factories.StaffFactory(username="clerk-li")
    clerk.groups.add(staff_groups[0])
    manager = factories.StaffFactory(username="manager-zhao")
    manager.groups.add(staff_groups[1])
    url = live_server.url

    # ------------------------------------------------------------------ 1. sign up, wizard, submit
    page = new_page(viewport=VIEWPORTS[screen], permissions=["clipboard-read", "clipboard-write"])
    page.goto(url + "/accounts/signup/")
    expect(page.get_by_role("heading", name="注册")).to_be_visible()
    shot(page, "01-signup")
    page.get_by_label(label("用户名")).fill("xinghe")
    page.get_by_label(label("电子邮箱")).fill("it@xinghe.example.com")
    page.get_by_label(label("密码")).fill("Xinghe-2026-secret")
    page.get_by_label(label("确认密码")).fill("Xinghe-2026-secret")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", name="我的备案")).to_be_visible()
    shot(page, "02-my-filings-empty")

    page.get_by_role("button", name="开始新备案").click()
    expect(page.get_by_role("heading", name="主办单位")).to_be_visible()
    page.get_by_label(label("主办单位性质")).select_option(label="企业")
    page.get_by_label(label("主办单位名称")).fill(ORGANIZER)
    page.get_by_label(label("证件类型")).select_option(label="营业执照（统一社会信用代码）")
    page.get_by_label(label("证件号码")).fill(factories.valid_uscc(4242))
    page.get_by_label(label("投资者或上级主管单位")).fill(ORGANIZER)
    page.get_by_label(label("省份")).select_option(label="北京市")
    page.get_by_label(label("证件住所")).fill("北京市海淀区中关村大街27号")
    page.get_by_label(label("通讯地址")).fill("北京市海淀区中关村大街27号")  # no room number: returned below
    page.get_by_label(label("负责人姓名")).fill("王小明")
    page.get_by_label(label("负责人证件类型")).select_option(label="居民身份证")
    page.get_by_label(label("负责人证件号码")).fill(factories.valid_resident_id(77))
    page.get_by_label(label("负责人为法定代表人")).check()
    page.get_by_label(label("手机号码")).fill("138 0013 8000")
    page.get_by_label(label("办公电话")).fill("010-62345678")
    page.get_by_label(label("电子邮箱")).fill("wang@xinghe.example.com")
    shot(page, "03-wizard-organizer")
    page.get_by_role("button", name="保存并继续").click()

    expect(page.get_by_role("heading", name="网站", exact=True)).to_be_visible()
    page.get_by_label(label("网站名称")).fill("星河技术文档")
    page.get_by_label(label("网站域名")).fill(E2E_DOMAIN)
    page.get_by_label(label("服务类型")).select_option(value="website")
    page.get_by_label(label("企业官网")).check()
    page.get_by_label(label("域名持有者为主办单位")).check()
    page.get_by_label(label("负责人姓名")).fill("王小明")
    page.get_by_label(label("负责人证件类型")).select_option(label="居民身份证")
    page.get_by_label(label("负责人证件号码")).fill(factories.valid_resident_id(77))
    page.get_by_label(label("手机号码")).fill("13800138000")
    page.get_by_label(label("电子邮箱")).fill("wang@xinghe.example.com")
    shot(page, "04-wizard-website")
    page.get_by_role("button", name="添加网站").click()

    expect(page.get_by_label(label("接入方式"))).to_be_visible()
    page.get_by_label(label("接入方式")).select_option(label="云服务器")
    page.get_by_label(label("服务器放置地")).select_option(label="北京")
    page.get_by_label(label("IP地址")).fill("101.200.0.7")
    shot(page, "05-wizard-access")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("101.200.0.7")).to_be_visible()
    page.get_by_role("link", name="继续：上传资料").click()

    # every required document, each a real file: photos as JPEG, the signed forms as PDF
    expect(page.get_by_role("heading", name="备案资料", exact=True)).to_be_visible()
    shot(page, "06-wizard-documents-empty")
    today = page.evaluate("() => new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'})")
    slots = page.get_by_role("region").filter(has=page.get_by_label(label("扫描件（JPEG、PNG或PDF）")))
    titles = slots.get_by_role("heading").all_inner_texts()
    # the verification sheet, generated from the filing: downloaded, read, and (signed) uploaded
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载按本备案信息填好的核验单")).click()
    sheet = tmp_path / download.value.suggested_filename
    download.value.save_as(sheet)
    assert sheet.name == f"网站备案信息真实性核验单-{E2E_DOMAIN}.pdf"
    sheet_text = pdf_text(sheet)
    for expected in ("网站备案信息真实性核验单", ORGANIZER, "星河技术文档", E2E_DOMAIN, "101.200.0.7", "王小明", today_cn(page)):
        assert expected in sheet_text, expected
    for title in titles:
        slot = page.get_by_role("region", name=title)
        signed_form = "协议书" in title or "核验单" in title
        path = sheet if "核验单" in title else pdf_file(tmp_path, title) if signed_form else jpeg_file(tmp_path, title)
        slot.get_by_label(label("扫描件（JPEG、PNG或PDF）")).set_input_files(path)
        date = slot.get_by_label(label("资料日期"))
        if date.count():
            date.fill(today)
        slot.get_by_role("button", name="上传").click()
        expect(page.get_by_role("status")).to_contain_text("已上传")
        expect(page.get_by_role("region", name=title)).to_contain_text(path.name)
    uploaded = len(titles)
    assert uploaded >= 5
    shot(page, "07-wizard-documents-uploaded")

    page.get_by_role("link", name="继续：检查并提交").click()
    expect(page.get_by_role("heading", name="检查并提交")).to_be_visible()
    shot(page, "08-wizard-check")
    page.get_by_role("button", name="提交接入商核实").click()
    expect(page.get_by_role("status")).to_contain_text("已提交")
    shot(page, "09-submitted")
    filing = Filing.objects.get(owner__username="xinghe")
    assert filing.state == FilingState.SUBMITTED
    assert filing.documents.count() == uploaded
    expect(stepper_current(page)).to_have_text("接入商核实")  # the stepper moved on

    # ------------------------------------------------------------------ 2. the clerk returns it
    staff = new_page()
    admin_login(staff, url, "clerk-li")
    staff.goto(url + reverse("wagtail_beian_filings:index"))
    shot(staff, "10-admin-filings")
    staff.get_by_role("link", name=re.compile(ORGANIZER)).first.click()
    expect(staff.get_by_role("heading", name="状态")).to_be_visible()
    shot(staff, "11-admin-filing-detail")
    staff.get_by_role("link", name="核实退回").click()
    give_reason(staff, r"通讯地址$", "通讯地址需写到门牌号和房间号", "例如：中关村大街27号1101室")
    shot(staff, "12-admin-return-with-reason")
    staff.get_by_role("button", name="核实退回").click()
    expect(staff.get_by_role("main")).to_contain_text(zh(FilingState.RETURNED.label))
    filing.refresh_from_db()
    assert filing.state == FilingState.RETURNED

    # ------------------------------------------------------------------ 3. the customer fixes it
    page.goto(url + portal("filing_detail", filing.pk))
    reasons = page.get_by_role("region", name="退回原因")
    expect(reasons).to_contain_text("通讯地址需写到门牌号和房间号")
    shot(page, "13-portal-returned")
    page.get_by_role("link", name="修改标出的字段").click()
    field = page.get_by_label(label("通讯地址"))
    at_field = page.locator(".field").filter(has=field)
    expect(at_field).to_contain_text("通讯地址需写到门牌号和房间号")
    expect(at_field).to_contain_text("例如：中关村大街27号1101室")
    expect(page.get_by_label(label("主办单位名称"))).to_be_disabled()  # only the flagged field may change
    shot(page, "14-portal-reason-at-field")
    field.fill("北京市海淀区中关村大街27号1101室")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("navigation", name="备案步骤").get_by_role("link", name="检查并提交").click()
    page.get_by_role("button", name="提交接入商核实").click()
    expect(page.get_by_role("status")).to_contain_text("已提交")
    shot(page, "15-portal-resubmitted")
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    assert filing.subject.mailing_address == "北京市海淀区中关村大街27号1101室"

    # ------------------------------------------------------------------ 4. verify, bureau, approve
    staff.goto(url + reverse("wagtail_beian_filings:inspect", args=[filing.pk]))
    expect(staff.get_by_role("link", name="核实通过")).to_have_count(0)  # F02: scans not reviewed yet
    review_all_scans(staff)
    shot(staff, "16a-admin-scans-reviewed")
    expect(staff.get_by_role("link", name="核实通过")).to_have_count(0)  # F03: the reason is not confirmed yet
    expect(staff.locator(".beian-blocked")).to_contain_text("通讯地址需写到门牌号和房间号")  # says what to do first
    reason = staff.locator("section:has(#beian-reasons) tbody tr").first
    expect(reason).to_contain_text("北京市海淀区中关村大街27号 → 北京市海淀区中关村大街27号1101室")  # before → after
    expect(reason).to_contain_text("已修改，待确认")
    reason.scroll_into_view_if_needed()
    shot(staff, "16b-admin-reason-changed", full_page=False)
    reason.get_by_role("button", name="确认").click()
    expect(staff.get_by_role("status").or_(staff.locator(".messages"))).to_contain_text("已确认")
    staff.get_by_role("link", name="核实通过").click()
    staff.get_by_role("button", name="核实通过").click()
    expect(staff.get_by_role("main")).to_contain_text(zh(FilingState.VERIFIED.label))
    shot(staff, "16-admin-verified")

    boss = new_page()
    admin_login(boss, url, "manager-zhao")
    boss.goto(url + reverse("wagtail_beian_filings:inspect", args=[filing.pk]))
    for action in ("提交管局", "登记短信核验通过"):
        staff_action(boss, action)
    boss.get_by_role("link", name="登记备案通过").click()
    boss.get_by_label(label("管局回复的主体备案号")).fill(SUBJECT_NUMBER)
    shot(boss, "17-admin-approve-with-number")
    boss.get_by_role("button", name="登记备案通过").click()
    expect(boss.get_by_text(f"{SUBJECT_NUMBER}-1")).to_be_visible()
    shot(boss, "18-admin-approved")
    filing.refresh_from_db()
    assert filing.state == FilingState.APPROVED and filing.subject_number == SUBJECT_NUMBER

    page.goto(url + portal("filing_detail", filing.pk))
    expect(page.get_by_role("region", name="网站", exact=True)).to_contain_text(f"{SUBJECT_NUMBER}-1")
    expect(page.locator("ol.stepper li.step-done")).to_have_count(5)  # every step done, with its date
    shot(page, "19-portal-approved")
    # the footer code, copied as a customer would
    footer = page.get_by_role("region", name="网站底部的备案号")
    footer.get_by_role("button", name="复制").click()
    expect(footer.get_by_role("button", name="已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f'<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">{SUBJECT_NUMBER}-1</a>' in copied
    footer.scroll_into_view_if_needed()
    shot(page, "19a-portal-footer-code", full_page=False)

    # ------------------------------------------------------------------ 5. the footer of the hosted site
    site_url = _sandbox_site_for(E2E_DOMAIN, live_server)
    home = new_page()
    home.goto(site_url)
    expect(home.get_by_role("heading", name="星河科技")).to_be_visible()  # served by the domain's Site
    number = home.get_by_role("contentinfo").get_by_role("link", name=f"{SUBJECT_NUMBER}-1")
    expect(number).to_have_attribute("href", "https://beian.miit.gov.cn/")
    shot(home, "20-site-footer")


def _sandbox_site_for(domain, live_server):
    """The sandbox's home page as a Wagtail Site under www.<domain> on the live server's port."""
    from wagtail.models import Page, Site

    from sandbox.home.models import HomePage

    port = int(live_server.url.rsplit(":", 1)[1])
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="星河科技", slug="xinghe-home"))
    Site.objects.create(hostname=f"www.{domain}", port=port, root_page=home, site_name="星河科技")
    return f"http://www.{domain}:{port}/"


def today_cn(page):
    """Today in Beijing as a sheet writes it: 2026年12月8日."""
    year, month, day = page.evaluate(
        "() => new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'})").split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"
