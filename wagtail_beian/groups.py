"""The two staff groups a hosting company starts with (the sandbox creates them; sites may too)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CLERK_GROUP = "备案专员"
MANAGER_GROUP = "备案主管"

_CODE_TABLES = ["province", "certificatetype", "organizernature", "preapprovalcategory",
                "servicecontent", "accessmethod", "holidayoverride"]
_FILING_MODELS = ["filing", "subject", "website", "access", "document", "filingreason"]

CLERK_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_beian", "verify_filing"),
    ("wagtail_beian", "edit_submitted_filing"),
    ("wagtail_beian", "handle_ticket"),
    *[("wagtail_beian", f"{action}_{model}") for model in _FILING_MODELS for action in ("view", "change")],
    *[("wagtail_beian", f"view_{model}") for model in _CODE_TABLES],
    ("wagtail_beian", "view_filingclaim"),  # F09: clerks look claims up; managers decide them
    ("wagtail_beian", "view_hosteddomain"),
]

MANAGER_PERMISSIONS = CLERK_PERMISSIONS + [
    ("wagtail_beian", "submit_to_bureau"),
    ("wagtail_beian", "record_bureau_decision"),
    ("wagtail_beian", "process_cancellation"),
    ("wagtail_beian", "view_personal_data"),
    ("wagtail_beian", "override_certificate_checksum"),
    ("wagtail_beian", "verify_claim"),
    ("wagtail_beian", "add_hosteddomain"),  # F08: import the list of hosted domains
    ("wagtail_beian", "import_filing"),  # issue 6: spreadsheet import
    *[("wagtail_beian", f"{action}_{model}") for model in _CODE_TABLES for action in ("add", "change", "delete")],
]


def _permissions(pairs):
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def setup_staff_groups():
    """Create (or complete) the clerk and manager groups; returns (clerks, managers)."""
    clerks, _ = Group.objects.get_or_create(name=CLERK_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    clerks.permissions.add(*_permissions(CLERK_PERMISSIONS))
    managers.permissions.add(*_permissions(MANAGER_PERMISSIONS))
    return clerks, managers
