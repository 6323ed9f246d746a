"""The "cancel filing" support tickets lead to the portal's cancellation workflow (F06).

Choosing "Cancel filing — subject" (注销主体) or "Cancel filing — website" (注销网站) as a new
request shows the customer's OWN approved filings (or the live websites of their approved
filings) with links to the cancel pages (``filing_cancel`` / ``website_cancel``); exactly one
leads straight there. A customer with none here (e.g. a filing held by another provider) gets
the free-form ticket, as does one who follows "my filing is not listed" (``?other=1``).
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ..models import Filing, FilingKind, FilingState, Website, WebsiteStatus

CANCEL_SUBJECT = "cancel_subject"
#: The query parameter of the new-ticket page that asks for the free-form ticket anyway.
FREE_FORM = "other"


def cancellable_filings(user):
    """The user's approved new filings: what ``CancelSubjectView`` can move to "cancelling"."""
    return (
        Filing.objects.for_owner(user)
        .filter(kind=FilingKind.NEW, state=FilingState.APPROVED)
        .select_related("subject")
        .prefetch_related("websites")
        .order_by("subject_number", "pk")
    )


def cancellable_websites(user):
    """The active websites of the user's approved new filings: what ``CancelWebsiteView`` can cancel."""
    return (
        Website.objects.filter(
            filing__in=Filing.objects.for_owner(user).filter(kind=FilingKind.NEW, state=FilingState.APPROVED),
            status=WebsiteStatus.ACTIVE,
        )
        .select_related("filing__subject")
        .order_by("filing__subject_number", "site_number", "pk")
    )


def ticket_route(request, request_type):
    """The cancel page (one candidate), a chooser (several) or None (none, or "my filing is not
    listed", or the free-form form posted: the ticket)."""
    if request.method != "GET" or request.GET.get(FREE_FORM):
        return None
    if request_type.code == CANCEL_SUBJECT:
        filings, websites = list(cancellable_filings(request.user)), []
        if len(filings) == 1:
            return redirect("wagtail_beian_portal:filing_cancel", pk=filings[0].pk)
    else:
        filings, websites = [], list(cancellable_websites(request.user))
        if len(websites) == 1:
            return redirect("wagtail_beian_portal:website_cancel", pk=websites[0].filing_id, website_pk=websites[0].pk)
    if not (filings or websites):
        return None
    return TemplateResponse(
        request,
        "wagtail_beian/portal/tickets/cancel_choose.html",
        {"has_tickets": True, "request_type": request_type, "filings": filings, "websites": websites,
         "free_form": FREE_FORM},
    )
