"""Wagtail registration only: the app's viewsets, its bulk actions and its dashboard panels.

Each viewset brings the rest itself: its URLs and menu item (Wagtail's ``register_admin_viewset``),
the permissions it shows in the group editor (``get_permissions_to_register``), and, through
:meth:`~wagtail_beian.admin.policies.AppViewSetMixin.register_app_hooks`, its model's permission
policy and the log actions of its history.
"""

from wagtail import hooks

from .admin.bulk_actions import AssignBulkAction, RemindBulkAction
from .admin.codes import CodeTablesGroup
from .admin.dashboard import dashboard_panels
from .admin.imports import ImportViewSet
from .admin.localization import catalog_script
from .admin.menu import FilingsGroup, hide_snippets_menu
from .admin.reports import ReportsViewSet
from .admin.tickets import TicketViewSet

#: What Wagtail registers: the 「ICP备案」 and 「ICP备案代码表」 menus (each a group of viewsets),
#: service support, the spreadsheet import and the F08 reports.
ADMIN_VIEWSETS = [FilingsGroup, CodeTablesGroup, TicketViewSet, ImportViewSet, ReportsViewSet]

#: The viewsets of the app's own records, each with its permission policy and log actions.
RECORD_VIEWSETS = [*FilingsGroup.items, TicketViewSet, ImportViewSet]

for viewset in ADMIN_VIEWSETS:
    hooks.register("register_admin_viewset", viewset)

for viewset in RECORD_VIEWSETS:
    viewset.register_app_hooks()

hooks.register("construct_main_menu", hide_snippets_menu)
hooks.register("insert_global_admin_js", catalog_script)
hooks.register("register_bulk_action", AssignBulkAction)
hooks.register("register_bulk_action", RemindBulkAction)


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard_panels(request))
