"""Hosted domains (F08, actual access): the import (line errors, merge/replace, skip-with-report)
and the report of websites served here without access here."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.claim_factories import approved_filing
from wagtail_beian.models import Access, HostedDomain
from wagtail_beian.services.hosted import (
    MERGE,
    REPLACE,
    import_hosted_domains,
    parse_hosted_domains,
)

pytestmark = pytest.mark.django_db


def test_f08_hosts_fold_into_registered_domains_and_bad_lines_are_reported_by_number():
    parsed = parse_hosted_domains(
        "# our customers\nexample.com\nwww.example.com\nhttps://shop.例子.中国/path\n\n1.2.3.4\ncom.cn\nbad domain!\n"
    )
    assert set(parsed.domains) == {"example.com", "xn--fsqu00a.xn--fiqs8s"}
    assert parsed.domains["example.com"] == {"example.com", "www.example.com"}
    assert [e.line for e in parsed.errors] == [6, 7, 8]
    assert "Line 6" in str(parsed.errors[0]) or "6" in str(parsed.errors[0])


def test_f08_csv_column_by_header_and_gb18030():
    data = "客户,域名,备注\n张三,www.zhangsan.cn,博客\n李四,lisi.com.cn,\n".encode("gb18030")
    result = import_hosted_domains(data)
    assert result.written and set(HostedDomain.objects.values_list("domain", flat=True)) == {"zhangsan.cn", "lisi.com.cn"}


def test_f08_an_error_writes_nothing_unless_skipping_is_chosen():
    HostedDomain.objects.create(domain="kept.cn")
    result = import_hosted_domains(b"new.cn\n10.0.0.1\n", mode=REPLACE)
    assert not result.written and [e.line for e in result.errors] == [2]
    assert list(HostedDomain.objects.values_list("domain", flat=True)) == ["kept.cn"]
    result = import_hosted_domains(b"new.cn\n10.0.0.1\n", mode=MERGE, skip_errors=True)
    assert result.written and result.added == 1 and len(result.errors) == 1
    assert set(HostedDomain.objects.values_list("domain", flat=True)) == {"kept.cn", "new.cn"}


def test_f08_replace_keeps_exactly_the_listed_domains_and_refuses_an_empty_list():
    for domain in ("a.cn", "b.cn"):
        HostedDomain.objects.create(domain=domain)
    result = import_hosted_domains(b"b.cn\nc.cn\n", mode=REPLACE)
    assert (result.added, result.kept, result.removed) == (1, 1, 1)
    assert set(HostedDomain.objects.values_list("domain", flat=True)) == {"b.cn", "c.cn"}
    result = import_hosted_domains(b"# nothing\n", mode=REPLACE)
    assert not result.written and HostedDomain.objects.count() == 2


def test_f08_admin_import_is_for_managers(client, clerk, manager):
    url = reverse("wagtail_beian_hosted_domains:import")
    client.force_login(clerk)
    client.post(url, {"file": SimpleUploadedFile("hosts.txt", b"clerk.cn\n"), "mode": MERGE})
    assert not HostedDomain.objects.exists()
    client.force_login(manager)
    bad = client.post(url, {"file": SimpleUploadedFile("hosts.txt", b"ok.cn\n\nnot a domain\n"), "mode": MERGE})
    assert bad.status_code == 400 and "第3行" in bad.content.decode() and not HostedDomain.objects.exists()
    good = client.post(url, {"file": SimpleUploadedFile("hosts.txt", b"ok.cn\nwww.ok.cn\n"), "mode": MERGE})
    assert good.status_code == 302 and HostedDomain.objects.get().hosts == "ok.cn\nwww.ok.cn"
    assert "ok.cn" in client.get(reverse("wagtail_beian_hosted_domains:index")).content.decode()


@pytest.fixture
def served(customer):
    """Hosted domains: one with access here, one filed here without access, one not filed here."""
    with_access = approved_filing(customer, 201)
    without_access = approved_filing(customer, 202)
    Access.objects.filter(website__filing=without_access).delete()
    domains = {
        "with_access": with_access.websites.get().domain,
        "without_access": without_access.websites.get().domain,
        "elsewhere": "filed-elsewhere.cn",
    }
    import_hosted_domains("\n".join(f"www.{d}" for d in domains.values()))
    return domains


def test_f08_report_lists_hosted_domains_without_access_here(client, clerk, served):
    client.force_login(clerk)
    url = reverse("wagtail_beian_reports:hosted_without_access")
    page = client.get(url).content.decode()
    assert served["without_access"] in page and served["elsewhere"] in page
    assert served["with_access"] not in page
    only_unfiled = client.get(url, {"situation": "not_filed"}).content.decode()
    assert served["elsewhere"] in only_unfiled and served["without_access"] not in only_unfiled
    csv = client.get(url, {"export": "csv"})
    body = b"".join(csv.streaming_content).decode()
    assert served["elsewhere"] in body and served["without_access"] in body and served["with_access"] not in body


@pytest.mark.parametrize("size", [2, 20])
def test_f08_report_query_count_is_constant(client, clerk, customer, django_assert_max_num_queries, size):
    filings = [approved_filing(customer, 300 + i) for i in range(size)]
    Access.objects.filter(website__filing__in=filings[::2]).delete()
    import_hosted_domains("\n".join([f.websites.get().domain for f in filings] + [f"x{i}.cn" for i in range(size)]))
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("wagtail_beian_reports:hosted_without_access"))
    page = response.content.decode()
    assert all(f"x{i}.cn" in page for i in range(size))
    without, with_access = filings[::2], filings[1::2]
    assert all(f.websites.get().domain in page for f in without)
    assert not any(f.websites.get().domain in page for f in with_access)


def test_f08_report_needs_permission(client, customer, served):
    client.force_login(customer)
    assert client.get(reverse("wagtail_beian_reports:hosted_without_access")).status_code != 200
    client.force_login(factories.StaffFactory(username="no-perms"))
    assert client.get(reverse("wagtail_beian_reports:hosted_without_access")).status_code != 200
