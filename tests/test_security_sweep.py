"""Security sweep over every URL of the app, enumerated from the URL resolver.

- Completeness: every URL pattern of the app (admin, portal, ``wagtail_beian.urls``, and the
  Wagtail bulk actions registered for the app's models) is swept by one of the matrices:
  ``tests/admin/test_url_permissions.py`` (admin × anonymous, customer, plain admin, clerk,
  manager), ``tests/portal/test_portal_isolation.py`` (portal × anonymous, customer B on A's
  ids) or the tables below. A new view outside all of them fails here.
- Portal: the owner reaches every portal URL with its own ids (so the 404s of the isolation
  test are real refusals, not broken URLs), and staff get 404 on customers' portal objects.
- Downloads and bulk actions: an explicit table of expected outcomes per role.
- CSRF: every app URL (including the bulk actions) refuses a POST without a CSRF token with 403
  for an authorised user, and nothing in the database changes.
"""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import ModelLogEntry

from tests import factories
from tests.admin.test_url_permissions import PATTERNS as ADMIN_PATTERNS
from tests.admin.test_url_permissions import url_for as admin_url_for
from tests.admin.test_url_permissions import world  # noqa: F401 (the admin matrix's fixture)
from tests.portal.test_portal_isolation import PATTERNS as PORTAL_PATTERNS
from tests.ticket_factories import TicketMessageFactory
from wagtail_beian.models import Document, Filing, TicketAttachment

pytestmark = pytest.mark.django_db

APP_NAMESPACES = ("wagtail_beian", "beian_")
PORTAL = "wagtail_beian_portal"
ROLES = ("anonymous", "owner", "other_customer", "plain", "clerk", "manager")


def all_app_patterns():
    """(namespace, name, route, converters) of every pattern in an app namespace or with an app view."""
    found = []

    def view_module(pattern):
        callback = pattern.callback
        return getattr(getattr(callback, "view_class", None), "__module__", None) or getattr(callback, "__module__", "")

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                in_app = (namespace or "").startswith(APP_NAMESPACES) or view_module(p).startswith("wagtail_beian")
                if in_app:
                    found.append((namespace, p.name, prefix + str(p.pattern), tuple(p.pattern.converters)))

    walk(get_resolver().url_patterns, None, "")
    return sorted(set(found))


APP_PATTERNS = all_app_patterns()

# URLs outside the admin and portal matrices: role → expected status (302 = to the login page).
OTHER_URLS = {
    ("wagtail_beian", "document_download"): {
        "anonymous": 302, "owner": 200, "other_customer": 404, "plain": 404, "clerk": 200, "manager": 200,
    },
    # Wagtail's JavaScript strings in Chinese: public, like Wagtail's own catalog (the login page uses it)
    ("wagtail_beian", "admin_js_catalog"): dict.fromkeys(
        ["anonymous", "owner", "other_customer", "plain", "clerk", "manager"], 200),
}


def app_bulk_actions():
    """(model name, action type) of every Wagtail bulk action registered for the app's models."""
    found = []
    for model in apps.get_app_config("wagtail_beian").get_models():
        for action in bulk_action_registry.get_bulk_actions_for_model("wagtail_beian", model._meta.model_name):
            found.append((model._meta.model_name, action.action_type))
    return sorted(found)


BULK_ACTIONS = app_bulk_actions()

# Bulk actions, performed (POST) on A's submitted filing: role → does the action take effect?
# Customers and a plain admin user get nothing done; filings are never deleted, not even in bulk.
BULK_EXPECTED = {
    ("filing", "assign"): {"clerk": True, "manager": True},
    ("filing", "remind"): {"clerk": True, "manager": True},
    ("filing", "delete"): {"clerk": False, "manager": False},
}


def test_every_app_url_is_swept_by_a_matrix():
    swept = {(ns, name) for ns, name, _c in ADMIN_PATTERNS}
    swept |= {(PORTAL, name) for name, _c in PORTAL_PATTERNS}
    swept |= set(OTHER_URLS)
    missing = [(ns, name, route) for ns, name, route, _c in APP_PATTERNS if (ns, name) not in swept]
    assert not missing, f"URLs of the app in no permission matrix (add them): {missing}"
    assert len(APP_PATTERNS) >= 150


def test_every_bulk_action_has_expected_outcomes():
    assert set(BULK_ACTIONS) == set(BULK_EXPECTED), "add the new bulk action to BULK_EXPECTED"


@pytest.fixture
def sweep(world, customer, other_customer):  # noqa: F811 (uses the imported fixture)
    """The admin matrix's world (A's submitted filing, tickets, code rows, staff) plus A's draft,
    A's ticket with an attachment, customer B and a superuser."""
    attachment = TicketAttachment.objects.filter(ticket__owner=customer).select_related("ticket").first()
    TicketMessageFactory(ticket=attachment.ticket)
    from tests.claim_factories import approved_filing, make_claim
    from wagtail_beian.models import AccessTransfer

    claim = make_claim(customer, approved_filing(factories.UserFactory(username="kept-owner"), 901))
    return {
        **world, "draft": factories.FilingFactory(owner=customer), "ticket": attachment.ticket,
        "claim": claim, "transfer": AccessTransfer.objects.get(owner=customer),
        "attachment": attachment, "anonymous": None, "owner": customer, "other_customer": other_customer,
        "root": factories.StaffFactory(username="root", is_superuser=True),
    }


# Which of the owner's objects a portal URL's ``pk`` is, by URL name prefix. A portal URL with a
# new prefix or converter fails test_owner_reaches_every_portal_url until it is added here.
PORTAL_PK = {"filing_": "draft", "website_": "draft", "ticket_": "ticket"}
PORTAL_IDS = {
    "website_pk": lambda w: w["draft"].websites.get().pk,
    "attachment_pk": lambda w: w["attachment"].pk,
    "document_pk": lambda w: w["draft"].documents.first().pk,
    "claim_pk": lambda w: w["claim"].pk,
    "scan_pk": lambda w: w["claim"].scans.get().pk,
    "transfer_pk": lambda w: w["transfer"].pk,
    "reason_pk": lambda w: factories.FilingReasonFactory(filing=w["draft"]).pk,
}


def portal_url(name, converters, w):
    kwargs = {}
    for conv in converters:
        if conv == "pk":
            prefix = next((p for p in PORTAL_PK if name.startswith(p)), None)
            assert prefix, f"portal URL {name}: say in PORTAL_PK which of the owner's objects its pk is"
            kwargs["pk"] = w[PORTAL_PK[prefix]].pk
        else:
            assert conv in PORTAL_IDS, f"portal URL {name}: add converter {conv} to PORTAL_IDS"
            kwargs[conv] = PORTAL_IDS[conv](w)
    return reverse(f"{PORTAL}:{name}", kwargs=kwargs)


def other_url(namespace, name, w):
    if (namespace, name) == ("wagtail_beian", "document_download"):
        return reverse("wagtail_beian:document_download", args=[w["filing"].documents.first().pk])
    if (namespace, name) == ("wagtail_beian", "admin_js_catalog"):
        return reverse("wagtail_beian:admin_js_catalog")
    raise AssertionError(f"no URL builder for {namespace}:{name}")


def bulk_url(model_name, action, w):
    return reverse("wagtail_bulk_action", args=["wagtail_beian", model_name, action]) + f"?id={w['filing'].pk}"


def login(client, w, role):
    if w[role] is not None:
        client.force_login(w[role])
    return client


# ------------------------------------------------------------------------------------- portal


@pytest.mark.parametrize("name,converters", PORTAL_PATTERNS, ids=[p[0] for p in PORTAL_PATTERNS])
def test_owner_reaches_every_portal_url_with_its_own_ids(client, sweep, name, converters):
    """The isolation test's 404s for customer B mean something only if A gets through."""
    path = portal_url(name, converters, sweep)
    response = login(client, sweep, "owner").get(path)
    assert response.status_code in (200, 302), (path, response.status_code)
    if response.status_code == 302:  # e.g. an action that does not apply to a draft: back to it
        assert response["Location"].startswith("/portal/"), response["Location"]


@pytest.mark.parametrize("role", ["plain", "clerk", "manager"])
def test_staff_get_404_on_customers_portal_objects(client, sweep, role):
    """Staff work in the admin; the portal shows a user only their own filings and tickets."""
    login(client, sweep, role)
    swept = 0
    for name, converters in PORTAL_PATTERNS:
        path = portal_url(name, converters, sweep)
        response = client.get(path)
        if converters:
            assert response.status_code == 404, (role, path, response.status_code)
            swept += 1
        else:
            assert response.status_code in (200, 302), (role, path, response.status_code)
            assert sweep["draft"].subject.name not in response.content.decode(), path
    assert swept >= 15


# ------------------------------------------------------------------- downloads and bulk actions

OTHER_CASES = [(ns, name, role) for (ns, name) in OTHER_URLS for role in ROLES]


@pytest.mark.parametrize("namespace,name,role", OTHER_CASES, ids=[f"{c[0]}:{c[1]}-{c[2]}" for c in OTHER_CASES])
def test_other_app_urls_by_role(client, sweep, namespace, name, role):
    path = other_url(namespace, name, sweep)
    response = login(client, sweep, role).get(path)
    expected = OTHER_URLS[(namespace, name)][role]
    assert response.status_code == expected, (path, role, response.status_code)
    if expected == 302:
        assert "login" in response["Location"]


BULK_CASES = [(model, action, role) for model, action in BULK_ACTIONS for role in ROLES]


def bulk_effect(model_name, action, w):
    filing = Filing.objects.get(pk=w["filing"].pk) if Filing.objects.filter(pk=w["filing"].pk).exists() else None
    if action == "delete":
        return filing is None
    if action == "assign":
        return filing.assigned_to_id == w["clerk"].pk
    return ModelLogEntry.objects.filter(action=f"wagtail_beian.{action}").exists()


@pytest.mark.parametrize("model_name,action,role", BULK_CASES, ids=[f"{c[0]}:{c[1]}-{c[2]}" for c in BULK_CASES])
def test_bulk_actions_by_role(client, sweep, model_name, action, role):
    path = bulk_url(model_name, action, sweep)
    login(client, sweep, role)
    assert not bulk_effect(model_name, action, sweep)
    response = client.post(path, {"clerk": sweep["clerk"].pk})
    expected = BULK_EXPECTED[(model_name, action)].get(role, False)
    assert bulk_effect(model_name, action, sweep) == expected, (path, role, response.status_code)
    if role in ("anonymous", "owner", "other_customer"):
        assert response.status_code == 302 and "login" in response["Location"]


# ------------------------------------------------------------------------------------- CSRF


def database_fingerprint():
    """Every row of the app's tables, the audit log and the users: any write changes it."""
    rows = {}
    for model in apps.get_app_config("wagtail_beian").get_models():
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    rows["log"] = list(ModelLogEntry.objects.order_by("pk").values_list("pk", "action"))
    rows["users"] = list(apps.get_model("auth", "User").objects.order_by("pk").values_list("pk", "is_active", "password"))
    return rows


def csrf_cases():
    cases = []
    for ns, name, _route, converters in APP_PATTERNS:
        user = "owner" if ns == PORTAL or (ns, name) in OTHER_URLS else "root"
        cases.append((f"{ns}:{name}", ns, name, converters, user))
    for model_name, action in BULK_ACTIONS:
        cases.append((f"bulk:{model_name}:{action}", "bulk", (model_name, action), (), "root"))
    return cases


CSRF_CASES = csrf_cases()
# A POST body that would be accepted by many of the forms if the token were not checked.
POST_DATA = {
    "clerk": "1", "reason": "x", "body": "x", "name": "x", "domain": "example.com", "confirm": "1",
    "state": "accepted", "expected_state": "open", "subject_number": "京ICP备2024000321号",
}


def url_of_case(namespace, name, converters, w):
    if namespace == "bulk":
        return bulk_url(*name, w)
    if namespace == PORTAL:
        # the middleware refuses before the view runs: any id the pattern accepts will do for the
        # portal URLs whose objects the owner table does not know yet
        try:
            return portal_url(name, converters, w)
        except AssertionError:
            return reverse(f"{PORTAL}:{name}", kwargs={c: w["draft"].pk for c in converters})
    if (namespace, name) in OTHER_URLS:
        return other_url(namespace, name, w)
    return admin_url_for(namespace, name, converters, w["filing"])


@pytest.mark.parametrize("case_id,namespace,name,converters,user", CSRF_CASES, ids=[c[0] for c in CSRF_CASES])
def test_post_without_csrf_token_is_refused_and_changes_nothing(sweep, case_id, namespace, name, converters, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sweep[user])
    path = url_of_case(namespace, name, converters, sweep)
    before = database_fingerprint()
    response = client.post(path, POST_DATA)
    assert response.status_code == 403, (path, response.status_code)
    assert b"CSRF" in response.content
    assert database_fingerprint() == before


def test_csrf_sweep_covers_every_state_changing_view():
    posting = [c for c in CSRF_CASES if c[1] != "bulk"]
    assert len(posting) == len(APP_PATTERNS) and len(CSRF_CASES) >= 150


def test_the_same_post_with_its_token_goes_through(sweep):
    """Control: the refusals above come from the missing token, not from the request itself."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(sweep["owner"])
    client.get(reverse(f"{PORTAL}:filing_list"))
    token = client.cookies["csrftoken"].value
    before = Filing.objects.filter(owner=sweep["owner"]).count()
    assert client.post(reverse(f"{PORTAL}:filing_create")).status_code == 403
    assert Filing.objects.filter(owner=sweep["owner"]).count() == before
    response = client.post(reverse(f"{PORTAL}:filing_create"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Filing.objects.filter(owner=sweep["owner"]).count() == before + 1
    assert not Document.objects.filter(filing__owner=sweep["other_customer"]).exists()
