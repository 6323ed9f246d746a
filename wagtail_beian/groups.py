"""The two staff groups a hosting company starts with (the sandbox creates them; sites may too)."""

from django.contrib.auth.models import Group

from . import permissions as perms

CLERK_GROUP = "备案专员"
MANAGER_GROUP = "备案主管"

_CODE_TABLES = ["province", "certificatetype", "organizernature", "preapprovalcategory",
                "servicecontent", "accessmethod", "holidayoverride"]
_FILING_MODELS = ["filing", "subject", "website", "access", "document", "filingreason"]

CLERK_PERMISSIONS = [
    "wagtailadmin.access_admin",
    perms.VERIFY,
    perms.EDIT_SUBMITTED,
    perms.HANDLE_TICKET,
    *[perms.model_permission(action, model) for model in _FILING_MODELS for action in ("view", "change")],
    *[perms.model_permission("view", model) for model in _CODE_TABLES],
    perms.VIEW_CLAIM,  # F09: clerks look claims up; managers decide them
    perms.VIEW_HOSTED_DOMAIN,
]

MANAGER_PERMISSIONS = CLERK_PERMISSIONS + [
    perms.SUBMIT_TO_BUREAU,
    perms.RECORD_BUREAU_DECISION,
    perms.PROCESS_CANCELLATION,
    perms.VIEW_PERSONAL_DATA,
    perms.OVERRIDE_CHECKSUM,
    perms.VERIFY_CLAIM,
    perms.REVEAL_PASSWORD,  # F10: the bureau system asks for it when the transfer is submitted
    perms.ADD_HOSTED_DOMAIN,  # F08: import the list of hosted domains
    perms.IMPORT,  # spreadsheet import
    perms.VIEW_WORKLOAD,  # the clerks' workload report
    *[perms.model_permission(action, model) for model in _CODE_TABLES for action in ("add", "change", "delete")],
]


def setup_staff_groups():
    """Create (or complete) the clerk and manager groups; returns (clerks, managers)."""
    clerks, _ = Group.objects.get_or_create(name=CLERK_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    clerks.permissions.add(*perms.permission_objects(CLERK_PERMISSIONS))
    managers.permissions.add(*perms.permission_objects(MANAGER_PERMISSIONS))
    return clerks, managers
