"""History and usage views of records that are never edited in the admin (claims, transfers,
hosted domains): Wagtail asks for the edit permission by default; seeing the record is enough."""

from wagtail.admin.views import generic


class ReadOnlyHistoryView(generic.history.HistoryView):
    any_permission_required = ["view"]


class ReadOnlyUsageView(generic.usage.UsageView):
    permission_required = "view"
