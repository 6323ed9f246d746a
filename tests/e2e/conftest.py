"""Browser end-to-end tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded (never ``playwright install``): Playwright launches the system Chromium
(``/usr/bin/chromium``, or ``BEIAN_CHROMIUM``). A missing Chromium is an error, not a skip, so CI
cannot pass without having run these tests.

The filed domain of the walk is resolved by Chromium itself to the live server
(``--host-resolver-rules``), so the sandbox's home page is requested under the Wagtail ``Site``
hostname that matches the domain, as a hosted customer site would be.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop marked as running in the test thread; the test's own
# ORM calls (fixtures, assertions) would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BEIAN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
#: The customer's domain in the walk; Chromium resolves it (and www.) to the live server.
E2E_DOMAIN = "e2e-xinghe.cn"
E2E_HOSTS = (E2E_DOMAIN, f"www.{E2E_DOMAIN}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests last: the rest of the suite then runs before Playwright's event loop exists."""
    e2e_dir = Path(__file__).parent
    items.sort(key=lambda item: e2e_dir in Path(str(item.path)).parents)


@pytest.fixture(scope="session")
def _serialized_test_databases(django_db_setup):
    """The test databases' initial contents (code tables, Wagtail's root page...), as Django saved them."""
    from django.db import connections

    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_test_databases, playwright):
    """Playwright, with ``serialized_rollback`` still working once it runs.

    Playwright's sync API marks an asyncio loop as running in this thread, and from then on
    Django's ``connections`` (an asgiref Local) hand out other connection objects, which lack the
    saved initial contents: a test after a flush would start from empty tables. Give them back.
    """
    from django.db import connections

    for alias, contents in _serialized_test_databases.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium and fonts-noto-cjk "
            "(apt-get install chromium fonts-noto-cjk) or set BEIAN_CHROMIUM. Browser tests are never skipped.",
            pytrace=False,
        )
    rules = ",".join(f"MAP {host} 127.0.0.1" for host in E2E_HOSTS)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--no-proxy-server", f"--host-resolver-rules={rules}",
            "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable", "--lang=zh-CN",
        ],
        # Chromium's own widgets (file picker "选择文件", date fields "年/月/日") in Chinese: on Linux the UI
        # language comes from LANGUAGE/LANG (``--lang`` is ignored there) and needs Debian's chromium-l10n.
        "env": {**os.environ, "LANGUAGE": "zh_CN"},
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def e2e_settings(settings, live_server):
    """The live server accepts the customer's domain (the footer step asks for it by that name)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *E2E_HOSTS]
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return settings


@pytest.fixture
def shot(request):
    """shot(page, "01-signup"): a full-page screenshot under tests/e2e/screenshots/<test>/;
    ``full_page=False`` keeps what is in view (scroll to the element first)."""
    name, _bracket, params = request.node.name.partition("[")
    extra = [p for p in params.rstrip("]").split("-") if p and p != "chromium"]
    folder = SCREENSHOTS / "-".join([name, *extra])
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture
def new_page(new_context):
    """new_page(): a page in a fresh browser context (its own cookies: one per person);
    ``viewport={"width": 390, "height": 844}`` for a phone, ``permissions=["clipboard-read"]``."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)

    def open_page(viewport=None, permissions=()):
        context = new_context()
        context.set_default_timeout(10_000)
        if permissions:
            context.grant_permissions(list(permissions))
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        return page

    return open_page
