"""Changes (变更, F05): a change is its own Filing holding copies of the approved data.

The approved filing stays the public record until the change is approved; approval copies the
change onto it; a rejected or withdrawn change is simply never applied.

Documents (F05, W05): :func:`change_scope` compares a change with the approved filing it amends;
the document rule (:func:`wagtail_beian.rules.documents.change_documents`) then asks only for the
documents of what changed, and keeps the approved filing's documents for the rest. On approval
the change's documents are copied onto the approved filing (new rows, same stored file), so the
next change finds the current documents there (:mod:`wagtail_beian.models.approval`).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden, TransitionNotAllowed
from ..models import (
    Filing,
    FilingKind,
    FilingState,
    ReviewStatus,
    Subject,
    Website,
    WebsiteStatus,
)
from ..models.approval import copy_access, copy_data, copy_m2m, data_fields
from ..rules.documents import PER_WEBSITE_KINDS, ChangeScope, WebsiteChange


def _differs(a, b, names):
    # attname: compare foreign keys by id, without loading the related rows
    fields = {f.name: f.attname for f in type(a)._meta.concrete_fields}
    return any(getattr(a, fields[n]) != getattr(b, fields[n]) for n in names)


def _codes(manager):
    return {obj.pk for obj in manager.all()}


_DOMAIN_FIELDS = ("domain", "domain_owner_is_organizer")
_PRE_APPROVAL_FIELDS = ("pre_approval_document_number",)


def change_scope(change, website_keys=None):
    """F05: what ``change`` alters of the approved filing it amends, as a pure :class:`ChangeScope`.

    ``website_keys`` maps a website pk of the change to its key in the rules (default: the pk).
    Reads ``change.subject``, ``change.amends.subject``, ``change.websites`` with ``source`` and
    both sides' service contents and pre-approval categories, and ``change.amends.documents``:
    load the change through ``services.preflight.with_preflight_relations`` to read them without
    a query per row. Access records are not compared (changing an IP needs no new scan).
    Returns None for a new filing.
    """
    if change.kind != FilingKind.CHANGE or change.amends_id is None:
        return None
    original = change.amends
    websites = list(change.websites.all())
    keys = website_keys or {w.pk: w.pk for w in websites}
    subject, approved_subject = getattr(change, "subject", None), getattr(original, "subject", None)
    subject_changed = (
        subject is None or approved_subject is None or _differs(subject, approved_subject, data_fields(Subject))
    )
    changes, key_of_source = [], {}
    for website in websites:
        key = keys.get(website.pk, website.pk)
        source = website.source if website.source_id else None
        if source is None:
            changes.append(WebsiteChange(key=key, added=True, data_changed=True, domain_changed=True,
                                         pre_approval_changed=True))
            continue
        key_of_source[source.pk] = key
        pre_approval_changed = _differs(website, source, _PRE_APPROVAL_FIELDS) or (
            _codes(website.pre_approval_categories) != _codes(source.pre_approval_categories)
        )
        data_changed = (
            _differs(website, source, data_fields(Website))
            or pre_approval_changed
            or _codes(website.service_contents) != _codes(source.service_contents)
        )
        changes.append(WebsiteChange(
            key=key, data_changed=data_changed, domain_changed=_differs(website, source, _DOMAIN_FIELDS),
            pre_approval_changed=pre_approval_changed,
        ))
    approved_sites = {w.source_id for w in websites if w.source_id}
    only_site = next(iter(key_of_source.values())) if len(key_of_source) == 1 else None
    on_file = set()
    for doc in original.documents.all():
        if doc.review_status == ReviewStatus.REJECTED:
            continue
        if doc.kind not in PER_WEBSITE_KINDS:
            on_file.add((doc.kind, None))
        elif doc.website_id in key_of_source:
            on_file.add((doc.kind, key_of_source[doc.website_id]))
        elif doc.website_id is None and only_site is not None and len(approved_sites) == 1:
            on_file.add((doc.kind, only_site))  # a single-site filing's scan attached to no website
    return ChangeScope(subject_changed=subject_changed, websites=tuple(changes), on_file=frozenset(on_file))


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
        copy_data(filing.subject, subject)
        subject.save()
        for website in filing.websites.filter(status=WebsiteStatus.ACTIVE):
            copy = Website(filing=change, source=website, is_live=False, site_number=website.site_number,
                           sort_order=website.sort_order)
            copy_data(website, copy)
            copy.save()
            copy_m2m(website, copy)
            copy_access(website, copy)
        log(filing, "wagtail_beian.start_change", user=user, data={"change": change.pk})
        log(change, "wagtail.create", user=user)
    return change
