"""Assigning a filing to a clerk (经办人): one service for the single and the bulk action, logged,
and the clerk hears of it (``signals.assigned``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions as perms
from ..exceptions import TransitionForbidden
from ..models import Filing
from ..signals import assigned


def clerks():
    """Who may be assigned filings: active staff who may verify them (or superusers)."""
    return perms.staff_with_permission(perms.VERIFY)


def assign_filing(filing, user, clerk):
    """Assign ``filing`` to ``clerk`` (None: nobody) as ``user``; returns the filing.

    Logged on the filing; a newly assigned clerk other than ``user`` is e-mailed. Assigning it to
    whom it already belongs changes and logs nothing.
    """
    if not perms.has_perm(user, perms.model_permission("change", "filing")):
        raise TransitionForbidden(_("You do not have permission to assign filings."))
    if clerk is not None and not clerks().filter(pk=clerk.pk).exists():
        raise ValidationError(
            {"clerk": _("%(name)s may not verify filings: choose a clerk.") % {"name": clerk.get_username()}},
            code="not_a_clerk",
        )
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if locked.assigned_to_id == (clerk.pk if clerk else None):
            return locked
        previous = locked.assigned_to
        locked.assigned_to = clerk
        locked.save(update_fields=["assigned_to", "updated_at"])
        log(locked, "wagtail_beian.assign", user=user, data={
            "clerk": clerk.get_username() if clerk else "",
            "previous": previous.get_username() if previous else "",
        })
        if clerk is not None and clerk.pk != user.pk:
            assigned.send(sender=Filing, instance=locked, user=user, clerk=clerk)
    return locked
