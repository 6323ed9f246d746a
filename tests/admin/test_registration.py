"""Each viewset registers what Wagtail must know of its model (issue 11): the permissions in the
group editor, the permission policy, the log actions of its history. wagtail_hooks only lists them."""

import pytest
from django.urls import reverse
from wagtail import hooks
from wagtail.log_actions import registry as log_registry
from wagtail.permissions import policy_registry

from wagtail_beian import permissions as perms
from wagtail_beian.admin.claims import ClaimPermissionPolicy
from wagtail_beian.admin.policies import FilingPartPermissionPolicy, FilingPermissionPolicy
from wagtail_beian.admin.tickets import TicketPermissionPolicy
from wagtail_beian.admin.transfers import TransferPermissionPolicy
from wagtail_beian.models import (
    Access, AccessTransfer, Document, Filing, FilingClaim, Subject, Ticket, Website,
)
from wagtail_beian.services.workflow import log_action_name, transitions_of

pytestmark = pytest.mark.django_db


def registered_codenames():
    reverse("wagtailadmin_home")  # the admin URLs load, and with them every viewset registers
    codenames = set()
    for permissions in hooks.get_hooks("register_permissions"):
        codenames |= set(permissions().filter(content_type__app_label=perms.APP).values_list("codename", flat=True))
    return codenames


def test_every_custom_permission_is_offered_in_the_group_editor():
    custom = {codename for codename, _label in perms.FILING_PERMISSIONS + perms.TICKET_PERMISSIONS + perms.CLAIM_PERMISSIONS}
    registered = registered_codenames()
    assert custom <= registered
    assert {"view_filingclaim", "view_hosteddomain", "add_hosteddomain"} <= registered


def test_records_never_added_here_offer_no_add_or_delete_permission():
    registered = registered_codenames()
    assert not {"add_filingclaim", "delete_filingclaim", "add_ticket", "delete_ticket", "delete_hosteddomain"} & registered


def test_each_model_has_the_policy_its_viewset_names():
    expected = {
        Filing: FilingPermissionPolicy, Subject: FilingPartPermissionPolicy, Website: FilingPartPermissionPolicy,
        Access: FilingPartPermissionPolicy, Document: FilingPartPermissionPolicy,
        AccessTransfer: TransferPermissionPolicy, FilingClaim: ClaimPermissionPolicy, Ticket: TicketPermissionPolicy,
    }
    assert {model: type(policy_registry.get_by_type(model)) for model in expected} == expected


@pytest.mark.parametrize("model", [Filing, Website, AccessTransfer, FilingClaim, Ticket])
def test_every_transition_has_a_labelled_log_action(model):
    for name in transitions_of(model):
        assert log_registry.action_exists(log_action_name(model, name)), name


def test_every_other_logged_action_is_registered():
    for action in [
        "wagtail_beian.accesstransfer.request", "wagtail_beian.apply_change", "wagtail_beian.assign",
        "wagtail_beian.certificate_override", "wagtail_beian.claim_transfer", "wagtail_beian.document_download",
        "wagtail_beian.document_review", "wagtail_beian.edit_data", "wagtail_beian.filingclaim.request",
        "wagtail_beian.filingclaim.scan_download", "wagtail_beian.remind", "wagtail_beian.start_change",
        "wagtail_beian.ticket.assign", "wagtail_beian.ticket.attachment_download", "wagtail_beian.ticket.link_filing",
        "wagtail_beian.ticket.open", "wagtail_beian.ticket.start_transfer", "wagtail_beian.upload",
        "wagtail_beian.import_create", "wagtail_beian.import_update", "wagtail_beian.import_state",
    ]:
        assert log_registry.action_exists(action), action
