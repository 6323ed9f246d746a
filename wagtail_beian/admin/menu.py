"""The 「ICP备案」 menu: filings first, then the parts staff look up and edit, transfers, claims, hosted domains."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import get_snippet_models

from .claims import ClaimViewSet
from .filings import FilingViewSet
from .hosted import HostedDomainViewSet
from .parts import AccessViewSet, DocumentViewSet, SubjectViewSet, WebsiteViewSet
from .transfers import TransferViewSet


class FilingsGroup(ViewSetGroup):
    menu_label = _("ICP filings")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (
        FilingViewSet, SubjectViewSet, WebsiteViewSet, AccessViewSet, DocumentViewSet, TransferViewSet,
        ClaimViewSet, HostedDomainViewSet,
    )


def hide_snippets_menu(request, menu_items):
    """``construct_main_menu``: Wagtail lists filings (a snippet viewset) again under 「片段」; when
    they are the site's only snippets, that menu duplicates 「ICP备案」 and is left out."""
    if all(model._meta.app_label == "wagtail_beian" for model in get_snippet_models()):
        menu_items[:] = [item for item in menu_items if item.name != "snippets"]
