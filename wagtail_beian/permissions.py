"""Permission names of the app and the checks built on them (one place for who may do what).

Every codename the app defines or checks is named here: the custom permissions of each model
(declared in the model's ``Meta.permissions`` from the lists below, shown in Wagtail's group
editor by the model's viewset) and the model permissions the views check.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

APP = "wagtail_beian"

#: (codename, label) of the custom permissions on Filing; visible in Wagtail's group editor.
FILING_PERMISSIONS = [
    ("verify_filing", _("Can verify and return filings (provider verification)")),
    ("edit_submitted_filing", _("Can edit filings after submission")),
    ("submit_to_bureau", _("Can submit filings to the bureau and record the SMS check")),
    ("record_bureau_decision", _("Can enter bureau approvals and rejections")),
    ("process_cancellation", _("Can process cancellations")),
    ("view_personal_data", _("Can view personal data such as certificate numbers")),
    ("override_certificate_checksum", _("Can accept certificate numbers that fail the checksum")),
    ("import_filing", _("Can import filings from spreadsheets")),
    ("view_workload", _("Can view the clerks' workload report")),
]

#: (codename, label) of the custom permissions on Ticket.
TICKET_PERMISSIONS = [("handle_ticket", _("Can handle service-support tickets"))]
#: (codename, label) of the custom permissions on AccessTransfer (F07, F10).
TRANSFER_PERMISSIONS = [("reveal_filing_password", _("Can reveal the filing password of an open access transfer"))]
#: (codename, label) of the custom permissions on FilingClaim (F09).
CLAIM_PERMISSIONS = [("verify_claim", _("Can approve and refuse filing claims"))]

VERIFY = f"{APP}.verify_filing"
EDIT_SUBMITTED = f"{APP}.edit_submitted_filing"
SUBMIT_TO_BUREAU = f"{APP}.submit_to_bureau"
RECORD_BUREAU_DECISION = f"{APP}.record_bureau_decision"
PROCESS_CANCELLATION = f"{APP}.process_cancellation"
VIEW_PERSONAL_DATA = f"{APP}.view_personal_data"
OVERRIDE_CHECKSUM = f"{APP}.override_certificate_checksum"
IMPORT = f"{APP}.import_filing"
VIEW_WORKLOAD = f"{APP}.view_workload"
HANDLE_TICKET = f"{APP}.handle_ticket"
VERIFY_CLAIM = f"{APP}.verify_claim"
REVEAL_PASSWORD = f"{APP}.reveal_filing_password"
# model permissions the views check
VIEW_FILING = f"{APP}.view_filing"
VIEW_DOCUMENT = f"{APP}.view_document"
VIEW_CLAIM = f"{APP}.view_filingclaim"
VIEW_HOSTED_DOMAIN = f"{APP}.view_hosteddomain"
ADD_HOSTED_DOMAIN = f"{APP}.add_hosteddomain"


def model_permission(action, model_name):
    """``"wagtail_beian.<action>_<model>"``, e.g. ``model_permission("change", "filing")``."""
    return f"{APP}.{action}_{model_name}"


def permission_objects(names):
    """The Permission rows of full permission names (``"app_label.codename"``)."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def has_perm(user, perm):
    return bool(user and user.is_active and user.has_perm(perm))


def users_with(perm):
    """Active users holding ``perm`` (through a group or directly), and superusers."""
    permission = permission_objects([perm])
    return get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    ).distinct()


def staff_with_permission(perm):
    """Active staff users holding ``perm`` (or superusers), by username: who may be assigned work
    that needs it, and who is e-mailed about it."""
    return users_with(perm).filter(is_staff=True).order_by("username")


def is_owner(user, filing):
    return bool(user and user.is_authenticated and filing.owner_id == user.pk)


def staff_with(perm):
    """An FSM permission callable: staff holding ``perm``."""

    def check(instance, user):
        return has_perm(user, perm)

    check.__name__ = f"staff_with_{perm.rsplit('.', 1)[-1]}"
    return check


def owner_or_staff_with(perm):
    """An FSM permission callable: the filing's owner (customer), or staff holding ``perm``."""

    def check(instance, user):
        filing = getattr(instance, "filing", instance)
        return is_owner(user, filing) or has_perm(user, perm)

    check.__name__ = f"owner_or_{perm.rsplit('.', 1)[-1]}"
    return check
