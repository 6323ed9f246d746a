"""Wagtail's JavaScript strings in Chinese where its own zh-Hans catalog has none.

Wagtail's admin loads Django's JavaScript catalog of ``wagtail.admin`` only. This module serves a
second catalog, of this app's ``djangojs`` domain (``locale/zh_Hans/LC_MESSAGES/djangojs.po``), and
Wagtail's ``insert_global_admin_js`` hook adds it to every admin page, after Wagtail's own; Django's
catalog script merges its strings into ``django.catalog``, so they fill the gaps (the sidebar's
“(2 new items in this menu)”, autosave messages …). Localised like Wagtail's own catalog: in the
user's admin language.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response

_catalog = JavaScriptCatalog.as_view(packages=["wagtail_beian"])


def admin_js_catalog(request, *args, **kwargs):
    return get_localized_response(_catalog, request, *args, **kwargs)


def catalog_script():
    """The ``insert_global_admin_js`` hook: the script tag of the catalog."""
    return format_html('<script src="{}"></script>', reverse("wagtail_beian:admin_js_catalog"))
