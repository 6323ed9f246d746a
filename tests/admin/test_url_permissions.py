"""Every admin URL of the app, enumerated from the URL resolver, tried as four kinds of user.

A new view that forgets its permission check fails here without anyone adding it to a list.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as viewset_registry

from tests import factories
from tests.ticket_factories import TicketAttachmentFactory
from wagtail_beian.models import Access, Document, Subject, Ticket, Website
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db

APP_PREFIXES = ("wagtail_beian_",)  # one namespace style: wagtail_beian_<records>
READ_VIEWS = {"list", "list_results", "index", "index_results", "inspect", "history", "history_results", "usage",
              "spreadsheet_template"}  # the empty import template: whoever may see filings


def app_admin_patterns():
    """(namespace, url name, converters) of every admin URL pattern in the app's namespaces."""
    found = []

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name and namespace and namespace.startswith(APP_PREFIXES):
                if prefix.startswith("admin/"):
                    found.append((namespace, p.name, tuple(p.pattern.converters)))

    walk(get_resolver().url_patterns, None, "")
    return sorted(set(found))


PATTERNS = app_admin_patterns()


def model_of(namespace):
    for viewset in viewset_registry.viewsets:
        if getattr(viewset, "name", None) and viewset.url_namespace == namespace:
            return getattr(viewset, "model", None)
    return None


@pytest.fixture
def world(customer, clerk, manager):
    filing = factories.FilingFactory(owner=customer)
    filing = perform_transition(filing, "submit", customer)
    factories.HolidayOverrideFactory()
    TicketAttachmentFactory(ticket__owner=customer)
    claim_world(customer)
    transfer_world(customer)
    plain = factories.StaffFactory(username="plain-admin")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return {"filing": filing, "customer": customer, "plain": plain, "clerk": clerk, "manager": manager}


def transfer_world(customer):
    """An open access transfer (verify is possible) and a cancel-access ticket to start one from."""
    from tests.ticket_factories import TicketFactory
    from tests.transfer_factories import moving_transfer

    moving_transfer(customer)
    TicketFactory(owner=customer, request_type="cancel_access")


def claim_world(customer):
    """A pending claim of another member (with a scan), its claim ticket, and one hosted domain."""
    from tests.claim_factories import approved_filing, make_claim
    from tests.ticket_factories import TicketFactory
    from wagtail_beian.models import HostedDomain

    member = factories.UserFactory(username="claiming-member")
    make_claim(member, approved_filing(customer, 900))
    TicketFactory(owner=member, request_type="claim_filing")
    HostedDomain.objects.create(domain="hosted-example.cn")


def url_for(namespace, name, converters, filing):
    kwargs = {}
    model = model_of(namespace)
    for conv in converters:
        if conv == "pk":
            if namespace == "wagtail_beian_imports":
                kwargs["pk"] = import_job_of_manager().pk
            elif namespace == "wagtail_beian_filings":
                kwargs["pk"] = filing.pk
            else:
                obj = {
                    Subject: lambda: filing.subject, Website: lambda: filing.websites.first(),
                    Access: lambda: Access.objects.filter(website__filing=filing).first(),
                    Document: lambda: filing.documents.first(),
                }.get(model, lambda: model.objects.order_by("pk").first())()
                kwargs["pk"] = obj.pk
        elif conv == "document_pk":
            kwargs["document_pk"] = filing.documents.filter(content_type="image/png").first().pk
        elif conv == "name":  # a transition staff may perform there
            kwargs["name"] = {"wagtail_beian_claims": "approve", "wagtail_beian_tickets": "resolve"}.get(namespace, "verify")
        elif conv == "scan_pk":
            kwargs["scan_pk"] = model.objects.get(pk=kwargs["pk"]).scans.first().pk
        elif conv == "ticket_pk" and namespace == "wagtail_beian_transfers":
            kwargs["ticket_pk"] = Ticket.objects.get(request_type="cancel_access").pk
        elif conv == "ticket_pk":
            kwargs["ticket_pk"] = Ticket.objects.get(request_type="claim_filing").pk
        elif conv == "reason_pk":
            kwargs["reason_pk"] = factories.FilingReasonFactory(filing=filing).pk
        elif conv == "action":
            kwargs["action"] = "confirm"
        elif conv == "attachment_pk":
            kwargs["attachment_pk"] = model.objects.get(pk=kwargs["pk"]).attachments.first().pk
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


def import_job_of_manager():
    """A checked spreadsheet import of the manager (issue 6): only its creator may open it."""
    from django.contrib.auth import get_user_model

    from wagtail_beian.models import ImportJob

    manager = get_user_model().objects.get(username="manager")
    return ImportJob.objects.filter(created_by=manager).first() or ImportJob.objects.create(
        created_by=manager, original_name="filings.xlsx", file_name="imports/none.upload", status="ready"
    )


def expected_ok(role, namespace, name):
    """The permission rules, stated once: which (role, view) pairs must succeed."""
    if role in ("anonymous", "customer", "plain"):  # customer: the filing's own owner, no admin access
        return False
    if namespace == "wagtail_beian_imports":
        # issue 6: the manager holds import_filing; confirm is POST only
        return role == "manager" and name != "confirm"
    model = model_of(namespace)
    code_table = model is not None and model.__module__ == "wagtail_beian.models.codes"
    if code_table:
        # a clerk may look the code tables up; the manager maintains them (and sees their history)
        return name in {"index", "index_results", "inspect"} or role == "manager"
    if namespace in ("wagtail_beian_claims", "wagtail_beian_hosted_domains"):
        # F09 / F08: clerks look claims and hosted domains up; managers decide claims and import the list;
        # nobody edits, adds or deletes them here
        if name in READ_VIEWS or name == "scan":
            return True
        return role == "manager" and name not in {"add", "edit", "delete", "copy"}
    if namespace == "wagtail_beian_reports" and name.startswith("workload"):
        return role == "manager"  # the clerks' workload: view_workload (备案主管)
    if name == "settle_reason":
        return False  # POST only (confirm or reopen a reason): tested in tests/test_reasons.py
    if name == "reveal_password":
        return role == "manager"  # F10: only holders of reveal_filing_password (备案主管)
    if name in READ_VIEWS:
        return True
    if name in {"add", "delete", "copy"}:
        return False  # filings, their parts and tickets are records: never created here nor deleted
    return True  # edit (assign / edit submitted data), transition, review, preview, reply, attachment


CASES = [(ns, name, conv, role) for ns, name, conv in PATTERNS for role in ("anonymous", "customer", "plain", "clerk", "manager")]


def test_enumeration_finds_the_app_urls():
    namespaces = {ns for ns, _n, _c in PATTERNS}
    assert {"wagtail_beian_filings", "wagtail_beian_subjects", "wagtail_beian_websites", "wagtail_beian_access", "wagtail_beian_documents"} <= namespaces
    assert len(PATTERNS) >= 40


@pytest.mark.parametrize("namespace,name,converters,role", CASES, ids=[f"{c[0]}:{c[1]}-{c[3]}" for c in CASES])
def test_admin_url_permission(client, world, namespace, name, converters, role):
    path = url_for(namespace, name, converters, world["filing"])
    if role != "anonymous":
        client.force_login(world[role])
    response = client.get(path)
    ok = response.status_code == 200
    expected = expected_ok(role, namespace, name)
    assert ok == expected, (path, response.status_code, response.get("Location"))
    if role in ("anonymous", "customer"):
        assert response.status_code == 302 and "login" in response["Location"]
