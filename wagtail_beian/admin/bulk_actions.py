"""Bulk actions on the filing listing: assign to a clerk, remind customers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..models import Filing
from ..notifications.filings import send_reminder
from ..services.assignment import assign_filing
from .filings import AssignForm
from .policies import staff_filings


class FilingBulkAction(SnippetBulkAction):
    models = [Filing]
    permission = "change"

    def get_queryset(self, model, object_ids):
        return list(staff_filings(self.request.user).filter(pk__in=[i for i in object_ids if str(i).isdigit()]).select_related("subject", "owner"))

    def get_all_objects_in_listing_query(self, parent_id):
        return staff_filings(self.request.user).values_list("pk", flat=True)

    def check_perm(self, filing):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, self.permission, filing)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user, "form": self.cleaned_form}


class AssignBulkAction(FilingBulkAction):
    display_name = _("Assign")
    action_type = "assign"
    aria_label = _("Assign the selected filings to a clerk")
    template_name = "wagtail_beian/admin/bulk_actions/confirm_assign.html"
    action_priority = 10
    form_class = AssignForm

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        clerk = form.cleaned_data["clerk"]
        for filing in objects:
            assign_filing(filing, user, clerk)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d filing assigned.", "%(count)d filings assigned.", num_parent_objects) % {
            "count": num_parent_objects
        }


class RemindBulkAction(FilingBulkAction):
    display_name = _("Remind customers")
    action_type = "remind"
    aria_label = _("E-mail the customers of the selected filings what is still needed")
    template_name = "wagtail_beian/admin/bulk_actions/confirm_remind.html"
    action_priority = 20
    permission = "view"

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        sent = 0
        for filing in objects:
            if send_reminder(filing):
                sent += 1
                log(filing, "wagtail_beian.remind", user=user, data={"to": "customer"})
        return sent, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", num_parent_objects) % {
            "count": num_parent_objects
        }
