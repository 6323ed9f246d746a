"""No page of the app answers 500 to a form sent back exactly as it was served (issue 12).

Every admin and portal URL of the app (enumerated from the URL resolver by the permission
matrices) is opened by each role that may open it; every POST form on the page is sent back with
the values the browser would send (lxml's ``form_values``: inputs, checked boxes, selected options,
textareas; no file chosen). The answer may be a redirect, the form again with its errors, or a
refusal, never a server error. Each URL gets a fresh world: a form that deletes or transitions
cannot change what the next one sees.
"""

import lxml.html
import pytest
from django.urls import Resolver404, resolve

from tests.admin.test_url_permissions import PATTERNS, expected_ok, url_for, world  # noqa: F401 (fixture)
from tests.test_security_sweep import PORTAL_PATTERNS, portal_url, sweep  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ADMIN_CASES = [(ns, name, conv, role) for ns, name, conv in PATTERNS for role in ("clerk", "manager")
               if expected_ok(role, ns, name)]


def post_forms_back(client, path):
    """GET ``path``, then POST each of its POST forms back as served; [(action, status)]."""
    page = client.get(path)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return []
    document = lxml.html.fromstring(page.content)
    document.make_links_absolute("http://testserver" + path)
    sent = []
    for form in document.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        action = (form.action or "http://testserver" + path).removeprefix("http://testserver")
        try:
            resolve(action.split("?")[0])
        except Resolver404:
            continue  # not a page of this site (none expected)
        if not action.split("?")[0].startswith(("/admin/beian", "/portal", "/beian")):
            continue  # Wagtail's own forms (logout, the user menu)
        data = {}
        for key, value in form.form_values():
            data.setdefault(key, []).append(value)
        response = client.post(action, data)
        sent.append((action, response.status_code))
    return sent


@pytest.mark.parametrize("namespace,name,converters,role", ADMIN_CASES,
                         ids=[f"{c[0]}:{c[1]}-{c[3]}" for c in ADMIN_CASES])
def test_admin_forms_sent_back_as_served_never_answer_500(client, world, namespace, name, converters, role):
    client.force_login(world[role])
    path = url_for(namespace, name, converters, world["filing"])
    for action, status in post_forms_back(client, path):
        assert status < 500, (path, action, status)


@pytest.mark.parametrize("name,converters", PORTAL_PATTERNS, ids=[p[0] for p in PORTAL_PATTERNS])
def test_portal_forms_sent_back_as_served_never_answer_500(client, sweep, name, converters):
    client.force_login(sweep["owner"])
    path = portal_url(name, converters, sweep)
    for action, status in post_forms_back(client, path):
        assert status < 500, (path, action, status)


def test_the_sweep_sends_forms(client, world):
    """The sweep is not empty: the assignment page's form goes back (and is accepted)."""
    client.force_login(world["manager"])
    sent = post_forms_back(client, url_for("wagtail_beian_filings", "edit", ("pk",), world["filing"]))
    assert sent and all(status in (200, 302) for _action, status in sent), sent
