"""Small helpers shared by the browser tests: logins, portal navigation, staff actions with their
confirmation (and reasons), a watch for a secret on every page, real upload files."""

import io
import re

from PIL import Image, ImageDraw
from playwright.sync_api import expect

#: The password tests.factories gives every user.
PASSWORD = "password-123"


def label(text):
    """A field's label exactly, whatever suffix the form adds (":", "：", a required "*")."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[*]?\s*[:：]?\s*[*]?\s*$")


def admin_login(page, url, username, password=PASSWORD):
    """Sign a staff member in through Wagtail's own login form."""
    page.goto(url + "/admin/login/")
    page.get_by_label(label("用户名")).fill(username)
    # Wagtail's login form leaves its password field's label to Django's default ("Password",
    # untranslated); its placeholder is translated.
    page.get_by_placeholder("输入密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("navigation", name=re.compile("主菜单|Main menu")).first).to_be_attached()


def portal_login(page, url, username, password=PASSWORD):
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的备案")).to_be_visible()


def submit_form(page, button):
    """Press a confirmation page's submit button and wait for the page it leads to."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("button", name=button)).to_have_count(0)


def portal_nav(page, name):
    """Follow a link of the portal's main navigation (我的备案, 服务支持, ...)."""
    page.get_by_role("navigation", name="客户中心").get_by_role("link", name=name, exact=True).click()


def open_request(page, type_label):
    """In the portal: 服务支持 → 提交新问题 → choose the kind of request → 继续 (the page it leads to)."""
    portal_nav(page, "服务支持")
    page.get_by_role("link", name="提交新问题").click()
    kinds = page.get_by_role("group", name=re.compile("您需要哪方面的帮助"))
    kinds.get_by_label(type_label, exact=True).check()
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state()


def staff_action(page, action, reason=None):
    """On an admin detail page: follow the action's link, give the reason if asked, confirm it.

    ``reason``: (field pattern, problem, suggestion) for the confirmation page's first reason.
    """
    page.get_by_role("link", name=action, exact=True).click()
    if reason is not None:
        give_reason(page, *reason)
    submit_form(page, action)


def review_all_scans(page):
    """On a filing's admin detail page: open the first scan's review and accept each scan in turn
    (saving leads to the next one not reviewed), until the detail page is back (F02)."""
    with page.expect_navigation():
        page.get_by_role("link", name="审核", exact=True).first.click()
    for _scan in range(30):
        if page.get_by_label("通过", exact=True).count() == 0:
            return  # back on the filing: every scan reviewed
        page.get_by_label("通过", exact=True).check()
        with page.expect_navigation():  # 保存并审核下一份, or 保存 on the last one
            page.get_by_role("button", name=re.compile("^保存")).click()
        page.wait_for_load_state()
    raise AssertionError("more than 30 scans to review")


def give_reason(page, field, problem, suggestion):
    """Fill the first reason of a staff confirmation page (the field: a regex of its label)."""
    group = page.get_by_role("group", name=re.compile(r"^原因\s*1$"))
    choose(group.get_by_label(label("字段")), field)
    group.get_by_label(label("问题")).fill(problem)
    group.get_by_label(label("给客户的修改建议")).fill(suggestion)


class SecretWatch:
    """Every HTML page the given browser contexts receive, checked for a secret (e.g. a filing password).

    Reads each document's body as it arrives, so no page shown to anyone after the secret was
    typed (a form shown again with its errors included) can echo it back unnoticed.
    """

    def __init__(self, secret, *pages):
        self.secret, self.pages, self.leaks = secret, [], []
        for page in pages:
            page.context.on("response", self._check)

    def _check(self, response):
        if response.request.resource_type != "document" or 300 <= response.status < 400:
            return  # redirects have no body; every other page does, form errors (400) included
        body = response.text()
        self.pages.append(response.url)  # only pages whose body was read and checked
        if self.secret in body:
            self.leaks.append(response.url)


def zh(text):
    """A translatable string (e.g. a state's label) as the zh-Hans pages show it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(text)


def choose(select, pattern):
    """Select the one option whose text matches ``pattern`` (a regex): option texts may be long."""
    select.wait_for()
    texts = [t.strip() for t in select.locator("option").all_text_contents()]
    matching = [t for t in texts if re.search(pattern, t)]
    assert len(matching) == 1, (pattern, texts)
    select.select_option(label=matching[0])
    return matching[0]


def _slug(title):
    return re.sub(r"\W+", "-", title).strip("-")[:40] or "scan"


def jpeg_file(folder, title, size=(900, 600)):
    """A real photo-like JPEG (Pillow), big enough for the scan checks, with a caption."""
    image = Image.new("RGB", size, (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, size[0] - 40, size[1] - 40), outline=(20, 60, 140), width=6)
    draw.ellipse((80, 120, 300, 400), fill=(200, 170, 150))
    draw.text((340, 140), "wagtail-beian e2e", fill=(10, 10, 10))
    path = folder / f"{_slug(title)}.jpg"
    image.save(path, "JPEG", quality=85)
    return path


def pdf_file(folder, title):
    """A real one-page PDF (Pillow's PDF writer: an image page, no scripts)."""
    buffer = io.BytesIO()
    page = Image.new("RGB", (595, 842), (255, 255, 255))
    ImageDraw.Draw(page).text((60, 80), "wagtail-beian e2e: signed form", fill=(0, 0, 0))
    page.save(buffer, "PDF", resolution=72)
    path = folder / f"{_slug(title)}.pdf"
    path.write_bytes(buffer.getvalue())
    return path
