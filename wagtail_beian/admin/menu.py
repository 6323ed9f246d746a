"""The 「ICP备案」 menu: filings first, then the parts staff look up and edit."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .filings import FilingViewSet
from .parts import AccessViewSet, DocumentViewSet, SubjectViewSet, WebsiteViewSet
from .transfers import TransferViewSet


class FilingsGroup(ViewSetGroup):
    menu_label = _("ICP filings")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (FilingViewSet, SubjectViewSet, WebsiteViewSet, AccessViewSet, DocumentViewSet, TransferViewSet)

# Filing claims (F09) and hosted domains (F08) in the same menu.
from .claims import ClaimViewSet  # noqa: E402
from .hosted import HostedDomainViewSet  # noqa: E402

FilingsGroup.items = (*FilingsGroup.items, ClaimViewSet, HostedDomainViewSet)
