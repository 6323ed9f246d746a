"""The portal's page (issue 13): its own static styles, logout, tables readable at phone width, and a
look the hosting company gives it by overriding one template."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "wagtail_beian" / "templates" / "wagtail_beian" / "portal"


def portal(name, *args):
    return reverse(f"wagtail_beian_portal:{name}", args=args)


def test_the_portal_s_styles_are_a_static_file_of_the_site_not_a_cdn(client, customer):
    client.force_login(customer)
    page = client.get(portal("filing_list")).content.decode()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert links == ["/static/wagtail_beian/portal/portal.css"]
    assert finders.find("wagtail_beian/portal/portal.css")
    assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', page)).replace("http://testserver", "")


def test_the_customer_logs_out_with_a_post(client, customer):
    client.force_login(customer)
    page = client.get(portal("filing_list")).content.decode()
    assert f'action="{portal("logout")}"' in page and "退出登录" in page
    assert client.get(portal("logout")).status_code == 200  # asks first; a link preview logs nobody out
    assert "_auth_user_id" in client.session
    response = client.post(portal("logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert client.get(portal("filing_list")).status_code == 302  # to the login page


def test_every_cell_of_the_portal_s_tables_says_its_column_at_phone_width():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table.*?</table>", text, re.S):
            assert 'class="responsive' in table, path
            cells = re.findall(r"<td(\s[^>]*)?>", table)
            unlabelled = [c for c in cells if "data-label" not in (c or "") and "colspan" not in (c or "")]
            assert not unlabelled, (path.name, unlabelled)


def test_a_hosting_company_gives_the_portal_its_own_look_by_overriding_one_template(client, customer, settings):
    templates = Path(__file__).resolve().parent.parent / "files" / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates / "custom_layout", templates]}]
    filing = factories.FilingFactory(owner=customer)
    client.force_login(customer)
    page = client.get(portal("filing_detail", filing.pk)).content.decode()
    assert 'id="hosting-company-banner"' in page and "· 示例云</title>" in page
    assert filing.subject.name in page and "退出登录" in page  # the portal's own content and navigation
    assert get_template("wagtail_beian/portal/layout.html").origin.name.endswith("custom_layout/wagtail_beian/portal/layout.html")


RULE_ID = re.compile(r"\b[RWDFN]\d\d\b")


def visible_text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_customers_never_see_a_rule_id(client, customer, clerk):
    """Rule ids (R04, W05, D04 …) are for staff; a customer reads what is wrong in words (issue 13)."""
    from wagtail_beian.services.workflow import Reason, perform_transition

    draft = factories.FilingFactory(owner=customer, documents=False)
    draft.subject.mailing_address = "北京市海淀区中关村软件园"  # R04 finding
    draft.subject.save()
    returned = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    returned = perform_transition(returned, "return_to_customer", clerk, reasons=[
        Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号")])
    client.force_login(customer)
    pages = [portal("filing_list")]
    for filing in (draft, returned):
        pages += [portal(name, filing.pk) for name in
                  ("filing_detail", "filing_subject", "filing_websites", "filing_documents", "filing_summary")]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not RULE_ID.search(visible_text(response)), (path, RULE_ID.findall(visible_text(response)))


def test_the_customer_text_filter_takes_rule_ids_out_with_their_brackets():
    from wagtail_beian.templatetags.wagtail_beian_portal import customer_text

    assert customer_text("如不是，须以域名授权书代替域名证书（D03）。") == "如不是，须以域名授权书代替域名证书。"
    assert customer_text("Enter the date (D04).") == "Enter the date."
    assert customer_text("资料（D01–D03）") == "资料"
    assert customer_text("京ICP备2024000123号 (not a rule)") == "京ICP备2024000123号 (not a rule)"
