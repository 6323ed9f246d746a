"""Wagtail registration only: menus, viewsets, permissions, dashboard panels, audit-log actions."""

from functools import partial

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import permissions as perms
from .admin.bulk_actions import AssignBulkAction, RemindBulkAction
from .admin.claims import ClaimPermissionPolicy
from .admin.claims import register_claim_log_actions as claim_log_actions
from .admin.codes import CodeTablesGroup
from .admin.dashboard import dashboard_panels
from .admin.hosted import HostedDomainPermissionPolicy
from .admin.imports import ImportMenuItem
from .admin.imports import urlpatterns as import_urls
from .admin.menu import FilingsGroup
from .admin.policies import FilingPartPermissionPolicy, FilingPermissionPolicy
from .admin.reports import REPORTS, report_menu_item
from .admin.reports import urlpatterns as report_urls
from .admin.tickets import TicketPermissionPolicy, TicketViewSet
from .admin.tickets import register_ticket_log_actions as ticket_log_actions
from .admin.transfers import TransferPermissionPolicy
from .admin.transitions import register_transition_log_actions
from .models import Access, AccessTransfer, Document, Filing, FilingClaim, HostedDomain, Subject, Ticket, Website

register_permission_policy(Filing, FilingPermissionPolicy(Filing))
for _model in (Subject, Website, Access, Document):
    register_permission_policy(_model, FilingPartPermissionPolicy(_model))


hooks.register("register_bulk_action", AssignBulkAction)
hooks.register("register_bulk_action", RemindBulkAction)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("beian/reports/", include((report_urls(), "wagtail_beian_reports"), namespace="wagtail_beian_reports"))]


for _name, _route, _view in REPORTS:
    hooks.register("register_reports_menu_item", partial(report_menu_item, _name))


@hooks.register("register_admin_viewset")
def register_filings():
    return FilingsGroup()


@hooks.register("register_admin_viewset")
def register_code_tables():
    return CodeTablesGroup()


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard_panels(request))


@hooks.register("register_permissions")
def register_filing_permissions():
    """The custom permissions appear in Wagtail's group editor."""
    codenames = [codename for codename, _label in perms.FILING_PERMISSIONS]
    return Permission.objects.filter(content_type__app_label=perms.APP, codename__in=codenames)


@hooks.register("register_log_actions")
def register_beian_log_actions(actions):
    for model in (Filing, Website, AccessTransfer):
        register_transition_log_actions(actions, model)
    actions.register_action(
        "wagtail_beian.accesstransfer.request", _("Request access transfer"), _("Access transfer requested")
    )
    actions.register_action(
        "wagtail_beian.ticket.start_transfer", _("Start access transfer"), _("Access transfer started from the ticket")
    )
    actions.register_action("wagtail_beian.start_change", _("Start change"), _("Change started"))
    actions.register_action("wagtail_beian.apply_change", _("Apply change"), _("Approved change applied"))
    actions.register_action("wagtail_beian.document_download", _("Download document"), _("Document downloaded"))
    actions.register_action("wagtail_beian.document_review", _("Review document"), _("Document reviewed"))
    actions.register_action("wagtail_beian.edit_data", _("Edit filing data"), _("Filing data edited"))
    actions.register_action("wagtail_beian.upload", _("Upload document"), _("Document uploaded"))
    actions.register_action("wagtail_beian.assign", _("Assign"), _("Assigned to a clerk"))
    actions.register_action("wagtail_beian.remind", _("Remind customer"), _("Reminder sent to the customer"))
    actions.register_action(
        "wagtail_beian.certificate_override", _("Accept certificate checksum"),
        _("Certificate number accepted despite its checksum"),
    )


# --- access transfers (新增接入 / 取消接入): permission policy (the viewset is in the ICP filings menu) ---
register_permission_policy(AccessTransfer, TransferPermissionPolicy(AccessTransfer))
# --- end of access transfers ---


# --- service-support tickets (服务支持): viewset, permission policy, permission, log actions ---
register_permission_policy(Ticket, TicketPermissionPolicy(Ticket))


@hooks.register("register_admin_viewset")
def register_tickets():
    return TicketViewSet()


@hooks.register("register_permissions")
def register_ticket_permissions():
    return Permission.objects.filter(content_type__app_label=perms.APP, codename="handle_ticket")


@hooks.register("register_log_actions")
def register_ticket_log_actions(actions):
    ticket_log_actions(actions)
# --- end of service-support tickets ---


# --- spreadsheet import (issue 6): URLs, menu item, log actions ---
@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("beian/imports/", include((import_urls(), "wagtail_beian_imports"), namespace="wagtail_beian_imports"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import filings"), reverse("wagtail_beian_imports:upload"), icon_name="upload", order=120)


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action("wagtail_beian.import_create", _("Import: create"), _("Created by a spreadsheet import"))
    actions.register_action("wagtail_beian.import_update", _("Import: update"), _("Updated by a spreadsheet import"))
    actions.register_action(
        "wagtail_beian.import_state", _("Import: state"), _("State taken from an imported spreadsheet")
    )
# --- end of spreadsheet import ---


# --- filing claims (备案归属, F09) and hosted domains (F08): policies, permissions, log actions ---
register_permission_policy(FilingClaim, ClaimPermissionPolicy(FilingClaim))
register_permission_policy(HostedDomain, HostedDomainPermissionPolicy(HostedDomain))


@hooks.register("register_permissions")
def register_claim_permissions():
    return Permission.objects.filter(
        content_type__app_label=perms.APP,
        codename__in=["verify_claim", "view_filingclaim", "view_hosteddomain", "add_hosteddomain"],
    )


@hooks.register("register_log_actions")
def register_claim_log_actions(actions):
    claim_log_actions(actions)
# --- end of filing claims and hosted domains ---
