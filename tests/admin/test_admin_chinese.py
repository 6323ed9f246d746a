"""The admin a clerk sees is in Chinese, Wagtail's own strings included, and makes no request to
gravatar (unreachable from mainland China). Each string below was once seen in English."""

import re

import pytest
from django.urls import reverse

from tests import factories
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Password", "Search all pages", "editor guide", "Shortcuts", "Why not add one", "Inspecting",
    ": False", ">False<", ">True<", "gravatar.com",
    "subject.mailing_address", "documents.id_card_front",  # field paths instead of their labels
]


def visible(response):
    html = response.content.decode()
    return re.sub(r"<script.*?</script>", " ", html, flags=re.S)


def english_in(response):
    text = visible(response)
    return [s for s in ENGLISH if s in text]


def test_the_login_page_is_in_chinese(client):
    page = client.get(reverse("wagtailadmin_login"))
    assert english_in(page) == [] and "密码" in visible(page)


def test_a_clerks_pages_are_in_chinese(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    perform_transition(filing, "return_to_customer", clerk, reasons=[
        Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号"),
        Reason("documents.id_card_front", "照片模糊", "重新拍摄"),
    ])
    client.force_login(clerk)
    pages = {
        "home": reverse("wagtailadmin_home"),
        "filings": reverse("wagtail_beian_filings:index"),
        "detail": reverse("wagtail_beian_filings:inspect", args=[filing.pk]),
        "history": reverse("wagtail_beian_filings:history", args=[filing.pk]),
        "holidays (empty)": reverse("wagtail_beian_holiday_overrides:index"),
        "provinces": reverse("wagtail_beian_provinces:index"),
        "transfers": reverse("wagtail_beian_transfers:index"),
        "tickets": reverse("wagtail_beian_tickets:index"),
        "claims": reverse("wagtail_beian_claims:index"),
    }
    found = {name: english_in(client.get(path)) for name, path in pages.items()}
    assert found == {name: [] for name in pages}
    detail = re.sub(r"\s+", " ", visible(client.get(pages["detail"])))  # its history section
    assert "主体 · 通讯地址: 缺少门牌号 → 补充到门牌号" in detail


def test_the_check_above_sees_english_when_there_is_some(client, clerk, settings):
    """The check can fail: with gravatar on, the home page requests it."""
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"
    client.force_login(clerk)
    assert "gravatar.com" in english_in(client.get(reverse("wagtailadmin_home")))


def test_no_snippets_menu_duplicates_the_filings_menu(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"snippets"' not in html and "片段" not in html
    assert "ICP备案" in html
