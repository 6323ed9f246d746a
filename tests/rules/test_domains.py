import pytest

from tests.rules.helpers import error_of, text_of
from wagtail_beian.validators import default_homepage, domain_to_unicode, normalize_domain


pytestmark = pytest.mark.usefixtures("english")




@pytest.mark.parametrize(
    "value",
    ["例子.中国", "例子。中国", "例子．中国", "xn--fsqu00a.xn--fiqs8s", "XN--FSQU00A.XN--FIQS8S", " 例子.中国 ",
     "例子.中国."],
)
def test_w01_idn_spellings_share_one_canonical_form(value):
    assert normalize_domain(value) == "xn--fsqu00a.xn--fiqs8s"


@pytest.mark.parametrize("value", ["example.com", "EXAMPLE.com ", "Example.COM.", "ｅｘａｍｐｌｅ．ｃｏｍ"])
def test_w01_ascii_domain_lower_cased(value):
    assert normalize_domain(value) == "example.com"


@pytest.mark.parametrize("value, expected", [("example.com.cn", "example.com.cn"), ("hao.com", "hao.com"),
                                             ("beijing.gov.cn", "beijing.gov.cn"), ("my-site.net", "my-site.net"),
                                             ("中文网站.cn", "xn--fiq228c37oz8d.cn")])
def test_w01_registered_domains_accepted(value, expected):
    assert normalize_domain(value) == expected


@pytest.mark.parametrize(
    "value, registered",
    [("www.example.com", "example.com"), ("blog.example.com.cn", "example.com.cn"),
     ("a.b.c.hao.com", "hao.com"), ("WWW.例子.中国", "例子.中国")],
)
def test_w01_subdomain_refused_names_registered_domain(value, registered):
    error = error_of(normalize_domain, value)
    assert error.code == "subdomain"
    assert error.params["domain"] == registered
    assert f"registered domain {registered}" in text_of(error)


def test_w01_private_suffix_names_are_subdomains_of_the_provider():
    # foo.github.io is not bought from a registrar: there is no domain certificate to file.
    error = error_of(normalize_domain, "foo.github.io")
    assert error.code == "subdomain"
    assert error.params["domain"] == "github.io"


@pytest.mark.parametrize("value", ["com.cn", "gov.cn", "com", "cn", "中国", "net.cn"])
def test_w01_bare_public_suffix_refused(value):
    error = error_of(normalize_domain, value)
    assert error.code == "public_suffix"
    assert "public suffix" in text_of(error)


@pytest.mark.parametrize(
    "value, domain",
    [("http://example.com/a", "example.com"), ("https://www.example.com", "example.com"),
     ("example.com/about", "example.com"), ("example.com:8080", "example.com"),
     ("https://www.例子.中国/x?y=1", "例子.中国"), ("//example.com", "example.com")],
)
def test_w01_url_refused_names_the_domain(value, domain):
    error = error_of(normalize_domain, value)
    assert error.code == "url"
    assert error.params["domain"] == domain
    assert domain in text_of(error)


def test_w01_url_without_usable_host_refused():
    assert error_of(normalize_domain, "http://").code == "url"


@pytest.mark.parametrize("value", ["1.2.3.4", "http://1.2.3.4/", "[::1]", "::1", "2001:db8::1",
                                   "http://[2001:db8::1]:8080/"])
def test_w01_ip_address_refused_still_needs_filing(value):
    error = error_of(normalize_domain, value)
    assert error.code == "ip_address"
    assert "still needs a filing" in text_of(error)


@pytest.mark.parametrize(
    "value", ["foo.invalidtld", "localhost", "foo_bar.com", "-bad.com", "a b.com", "xn--zz.com",
              "exa mple", "a..com", "x" * 64 + ".com"],
)
def test_w01_malformed_or_unknown_tld_refused(value):
    assert error_of(normalize_domain, value).code == "invalid"


def test_w01_email_address_refused():
    error = error_of(normalize_domain, "admin@example.com")
    assert error.code == "invalid"
    assert "e-mail" in text_of(error)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_w01_empty_domain_refused(value):
    assert error_of(normalize_domain, value).code == "required"


def test_w01_default_homepage_is_www_plus_domain():
    assert default_homepage("hao.com") == "www.hao.com"
    assert default_homepage(normalize_domain("例子.中国")) == "www.xn--fsqu00a.xn--fiqs8s"


def test_domain_to_unicode_for_display():
    assert domain_to_unicode("xn--fsqu00a.xn--fiqs8s") == "例子.中国"
    assert domain_to_unicode("example.com") == "example.com"
    assert domain_to_unicode("xn--zz.com") == "xn--zz.com"
