"""Load the sandbox's demo data and print the logins (make run calls this).

Several customers, subjects of different natures, filings in every state (driven through the
real workflow, so their history is real), the staff groups with a clerk and a manager, and an
admin user. Running it again keeps the data and resets the printed passwords.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from sandbox.home.models import HomePage
from tests import factories
from wagtail_beian.groups import setup_staff_groups
from wagtail_beian.models import CertificateType, Filing, FilingState, OrganizerNature, PortalSettings, Province
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.workflow import Reason, perform_transition

S = FilingState

# (state to reach, steps from draft) — each step is (transition, actor, extra kwargs)
RETURN = [Reason("subject.mailing_address", "通信地址未写到门牌号", "请补充门牌号，例如“中关村大街27号1101室”")]
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.RETURNED: ["submit", "return_to_customer"],
    S.VERIFIED: ["submit", "verify"],
    S.SMS_CHECK: ["submit", "verify", "submit_to_bureau"],
    S.BUREAU_REVIEW: ["submit", "verify", "submit_to_bureau", "confirm_sms"],
    S.BUREAU_REJECTED: ["submit", "verify", "submit_to_bureau", "confirm_sms", "reject"],
    S.APPROVED: ["submit", "verify", "submit_to_bureau", "confirm_sms", "approve"],
    S.CANCELLING: ["submit", "verify", "submit_to_bureau", "confirm_sms", "approve", "request_cancellation"],
    S.CANCELLED: ["submit", "verify", "submit_to_bureau", "confirm_sms", "approve", "request_cancellation", "confirm_cancellation"],
    S.WITHDRAWN: ["withdraw"],
}
CUSTOMER_STEPS = {"submit", "withdraw", "request_cancellation"}
CLERK_STEPS = {"verify", "return_to_customer"}


CUSTOMER_PASSWORD = "customer-pass-1"
#: Demo clauses of the information-security agreement (a hosting company enters its own).
AGREEMENT = """第一条 乙方保证提交的备案信息真实、准确、完整，并在信息变更时及时办理变更。
第二条 乙方不得利用接入服务制作、复制、发布、传播法律法规禁止的信息。
第三条 乙方应落实信息安全管理制度，发现违法信息立即停止传输、保存记录并向有关部门报告。
第四条 甲方发现乙方违反本协议的，有权依法暂停或终止接入服务。"""


class Command(BaseCommand):
    help = "Load demo data for the sandbox and print the admin, clerk and manager logins."

    def add_arguments(self, parser):
        parser.add_argument("--admin-password", help="Password for the admin user (default: random).")

    def handle(self, *args, **options):
        with transaction.atomic():
            self._site()
            clerks, managers = setup_staff_groups()
            logins = [
                self._user("admin", options.get("admin_password"), is_superuser=True, is_staff=True),
                self._user("clerk", None, is_staff=True, group=clerks),
                self._user("manager", None, is_staff=True, group=managers),
            ]
            if not Filing.objects.exists():
                created = self._filings(logins[1][2], logins[2][2])
                self.stdout.write(f"Demo data: {created} filings in every state.")
            else:
                self.stdout.write("Demo data already present; logins refreshed.")
            self._footer_number()
            self._portal_settings()
        self.stdout.write(self.style.SUCCESS("\nSandbox logins, staff (http://127.0.0.1:8000/admin/):"))
        for username, password, _user in logins:
            self.stdout.write(f"  {username:8} / {password}")
        self.stdout.write(self.style.SUCCESS("Customers (http://127.0.0.1:8000/portal/, or sign up at /accounts/signup/):"))
        for user in get_user_model().objects.filter(username__startswith="customer", is_staff=False).order_by("username"):
            user.set_password(CUSTOMER_PASSWORD)
            user.save(update_fields=["password"])
            self.stdout.write(f"  {user.username:9} / {CUSTOMER_PASSWORD}")

    def _user(self, username, password, group=None, **flags):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
        for key, value in flags.items():
            setattr(user, key, value)
        password = password or secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        if group is not None:
            user.groups.add(group)
        return username, password, user

    def _site(self):
        if HomePage.objects.exists():
            return
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="备案沙盒站点", slug="beian-home"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="127.0.0.1", port=8000, root_page=home, is_default_site=True)
        else:
            old_root = site.root_page
            site.root_page = home
            site.save()
            if old_root.pk != home.pk and not isinstance(old_root.specific, HomePage) and old_root.depth > 1:
                old_root.delete()

    def _portal_settings(self):
        """The demo provider's name and agreement clauses, so customers generate both printouts."""
        settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
        if not settings.provider_name:
            settings.provider_name = "示例云计算有限公司"
        if not settings.security_agreement_text:
            settings.security_agreement_text = AGREEMENT
        settings.save()

    def _footer_number(self):
        """The demo home page shows an approved filing number in its footer (beian_footer).

        The default Site (127.0.0.1 / localhost) cannot be filed, so it gets the approved demo
        website's number as its per-site setting (kept when already set). A Site whose host name is
        a filed domain finds its number without it.
        """
        from wagtail_beian.models import SiteFilingNumbers, Website, WebsiteStatus

        website = (
            Website.objects.filter(filing__state=S.APPROVED, filing__kind="new", status=WebsiteStatus.ACTIVE,
                                   is_live=True, site_number__isnull=False)
            .select_related("filing").order_by("pk").first()
        )
        site = Site.objects.filter(is_default_site=True).first()
        if website is None or site is None:
            return
        numbers = SiteFilingNumbers.for_site(site)
        if not numbers.icp_number:
            numbers.icp_number = website.filing_number
            numbers.save()

    def _filings(self, clerk, manager):
        customers = [
            factories.UserFactory(username=f"customer{i}", first_name=name, email=f"customer{i}@example.com")
            for i, name in enumerate(["王小明", "华星科技", "青禾教育", "个人站长"], start=1)
        ]
        nature = {n.code: n for n in OrganizerNature.objects.all()}
        cert = {c.code: c for c in CertificateType.objects.all()}
        provinces = {p.code: p for p in Province.objects.all()}
        count = 0
        for i, state in enumerate(PATHS):
            owner = customers[i % len(customers)]
            individual = i % 3 == 2
            subject = {"individual": True} if individual else {}
            if i % 3 == 1:
                subject.update(
                    nature=nature["institution"], certificate_type=cert["uscc"],
                    name=f"北京市示例研究所{i}",
                    certificate_number=factories.valid_uscc(9000 + i).replace("91", "12", 1)[:17],
                )
                subject["certificate_number"] = _with_check(subject["certificate_number"])
            subject.setdefault("province", provinces["11"])
            filing = factories.FilingFactory(
                owner=owner, **{f"subject__{k}": v for k, v in subject.items()},
                websites__name=f"演示站点{i}", websites__domain=f"demo-{i}.cn",
                # F02: scans of a filing not verified yet wait for the clerk's review
                documents=True if "verify" in PATHS[state] else "pending",
            )
            for step in PATHS[state]:
                actor = owner if step in CUSTOMER_STEPS else clerk if step in CLERK_STEPS else manager
                kwargs = {}
                if step in ("return_to_customer", "reject"):
                    kwargs["reasons"] = RETURN
                if step == "approve":
                    kwargs["subject_number"] = factories.subject_number_for("京", 100 + i)
                if step in ("request_cancellation", "confirm_cancellation"):
                    kwargs["note"] = "网站已停止运营，申请注销主体。" if step == "request_cancellation" else "已向管局提交注销，注销完成。"
                filing = perform_transition(filing, step, actor, **kwargs)
            count += 1
        approved = Filing.objects.filter(state=S.APPROVED).first()
        change = start_change(approved, approved.owner)
        change.subject.mailing_address = "北京市朝阳区建国路88号2001室"
        change.subject.save()
        # W05: the change also adds a website and is submitted, so its 7-working-day clock runs
        factories.WebsiteFactory(filing=change, name="演示新增站点", domain="demo-added-site.cn")
        factories.add_required_documents(change)
        perform_transition(change, "submit", change.owner)
        self._tickets(customers, approved, clerk)
        self._transfers(customers, clerk)
        self._claims_and_hosted_domains(customers, approved)
        return count + 1

    def _tickets(self, customers, approved, clerk):
        """A few support tickets: waiting for staff, answered by staff, and one with a filing password."""
        from wagtail_beian.services import tickets

        tickets.open_ticket(customers[0], "new_filing_documents", {
            "organizer_name": "王小明", "domain": "wangxiaoming.cn",
        }, message="请问个人备案需要哪些资料？")
        answered = tickets.open_ticket(approved.owner, "cancel_access", {
            "organizer_name": approved.subject.name, "filing_number": approved.subject_number,
            "access_domain": approved.websites.first().domain,
        }, filing=approved, message="网站已迁移到其他服务商，请取消接入。")
        tickets.add_reply(answered, clerk, "已收到，我们将在3个工作日内办理取消接入。")
        tickets.open_ticket(customers[2], "access_existing_website", {
            "organizer_name": "青禾教育科技有限公司", "filing_number": "沪ICP备2023001234号",
            "original_domain": "qinghe-edu.cn", "filing_password": "demo-password-1",
        }, message="网站要迁入贵司，请办理新增接入。")

    def _transfers(self, customers, clerk):
        """F07: the cancel-access ticket's transfer, started by staff and verified; W05: a new website
        of a subject filed elsewhere, requested in the portal; and one refused with its reason."""
        from wagtail_beian.models import Ticket
        from wagtail_beian.services.transfers import initial_from_ticket, request_transfer, transfer_from_ticket
        from wagtail_beian.services.workflow import Reason

        ticket = Ticket.objects.filter(request_type="cancel_access").first()
        if ticket is not None:
            transfer = transfer_from_ticket(ticket, clerk, initial_from_ticket(ticket))
            perform_transition(transfer, "verify", clerk)
        request_transfer(customers[1], "incoming_new_website", {
            "filing_number": "沪ICP备2023005678号", "organizer_name": "华星科技（上海）有限公司",
            "original_domain": "huaxing-sh.cn", "new_domain": "huaxing-shop.cn", "new_site_name": "华星商城",
            "ip": "203.0.114.80", "pre_approval_note": "无", "responsible_name": "李华",
            "responsible_certificate_type": "resident_id", "responsible_certificate_number": factories.valid_resident_id(77),
            "responsible_landline": "021-62345678", "responsible_mobile": "13912345678", "responsible_email": "lihua@example.com",
        })
        refused = request_transfer(customers[3], "incoming_existing_website", {
            "filing_number": "粤ICP备2022001234号-1", "organizer_name": "张三", "domain": "zhangsan-blog.cn",
            "ip": "203.0.114.81", "filing_password": "demo-password-2",
        })
        perform_transition(refused, "refuse", clerk, reasons=[
            Reason("ip", "该 IP 不属于本公司的服务器", "填写本公司分配给您的公网 IP"),
        ])


    def _claims_and_hosted_domains(self, customers, approved):
        """F09: a pending claim of the approved filing by another member; F08: a few hosted domains."""
        from tests.claim_factories import clean_png
        from wagtail_beian.services.claims import request_claim
        from wagtail_beian.services.hosted import import_hosted_domains

        claimant = next(c for c in customers if c.pk != approved.owner_id)
        request_claim(claimant, {
            "member_email": claimant.email, "organizer_name": approved.subject.name,
            "filing_number": approved.subject_number, "domain": approved.websites.first().domain,
        }, [clean_png("营业执照.png")])
        served = [w.domain for w in approved.websites.all()] + ["www.demo-1.cn", "shop.not-filed-here.cn", "例子.中国"]
        import_hosted_domains("\n".join(served))


def _with_check(body17):
    from stdnum.cn import uscc

    return body17 + uscc.calc_check_digit(body17)
