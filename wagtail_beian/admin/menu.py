"""The 「ICP备案」 menu: filings first, then the parts staff look up and edit, transfers, claims, hosted domains."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

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
