"""Changes (变更, F05): a change is its own Filing holding copies of the approved data.

The approved filing stays the public record until the change is approved; approval copies the
change onto it; a rejected or withdrawn change is simply never applied.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden, TransitionNotAllowed
from ..models import Access, Filing, FilingKind, FilingState, Subject, Website, WebsiteStatus
from .approval import assign_site_numbers

# Fields that describe a row's place in the workflow, not the filed data: never copied.
_NOT_DATA = {"id", "filing", "source", "is_live", "site_number", "status", "cancelled_at", "sort_order"}


def _data_fields(model):
    return [f.name for f in model._meta.concrete_fields if f.name not in _NOT_DATA]


def _copy_data(src, dst):
    for name in _data_fields(type(src)):
        setattr(dst, name, getattr(src, name))


def _copy_m2m(src, dst):
    dst.service_contents.set(src.service_contents.all())
    dst.pre_approval_categories.set(src.pre_approval_categories.all())


def _copy_access(src, dst):
    dst.access_records.all().delete()
    Access.objects.bulk_create(
        Access(website=dst, method_id=a.method_id, server_location=a.server_location, ip_addresses=a.ip_addresses)
        for a in src.access_records.all()
    )


def start_change(filing, user):
    """Open a change of an approved filing; return the change (a draft Filing of kind ``change``)."""
    if not (perms.is_owner(user, filing) or perms.has_perm(user, perms.EDIT_SUBMITTED)):
        raise TransitionForbidden(_("You do not have permission to change this filing."))
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        if filing.kind != FilingKind.NEW or filing.state != FilingState.APPROVED:
            raise TransitionNotAllowed(_("Only an approved filing can be changed."))
        if filing.open_change():
            raise TransitionNotAllowed(
                _("This filing already has a change in progress: continue or withdraw that one first.")
            )
        change = Filing.objects.create(owner=filing.owner, kind=FilingKind.CHANGE, amends=filing)
        subject = Subject(filing=change, is_live=False)
        _copy_data(filing.subject, subject)
        subject.save()
        for website in filing.websites.filter(status=WebsiteStatus.ACTIVE):
            copy = Website(filing=change, source=website, is_live=False, site_number=website.site_number,
                           sort_order=website.sort_order)
            _copy_data(website, copy)
            copy.save()
            _copy_m2m(website, copy)
            _copy_access(website, copy)
        log(filing, "wagtail_beian.start_change", user=user, data={"change": change.pk})
        log(change, "wagtail.create", user=user)
    return change


def apply_change(change):
    """Copy an approved change onto the filing it amends (called inside the approval transition)."""
    original = Filing.objects.select_for_update().get(pk=change.amends_id)
    _copy_data(change.subject, original.subject)
    original.subject.save()
    added = []
    for copy in change.websites.all():
        if copy.source_id:
            target = copy.source
            _copy_data(copy, target)
            target.save()
            _copy_m2m(copy, target)
            _copy_access(copy, target)
        else:
            # W05: a website added through a change joins the approved filing with the next number.
            copy.filing = original
            copy.is_live = True
            copy.save(update_fields=["filing", "is_live"])
            added.append(copy)
    assign_site_numbers(original, added)
    log(original, "wagtail_beian.apply_change", data={"change": change.pk, "websites_added": [w.pk for w in added]})
