"""Filing-claim URLs of the portal (备案归属, F09), included by ``portal/urls.py`` under ``claims/``.

No namespace of their own: they live in the portal's (``wagtail_beian_portal:claim_*``).
"""

from django.urls import path
from django.views.decorators.http import require_GET

from . import claims

claim = "<int:claim_pk>/"

urlpatterns = [
    path("", claims.ClaimListView.as_view(), name="claim_list"),
    path("new/", claims.ClaimCreateView.as_view(), name="claim_new"),
    path(claim, claims.ClaimDetailView.as_view(), name="claim_detail"),
    path(claim + "withdraw/", claims.ClaimWithdrawView.as_view(), name="claim_withdraw"),
    path(claim + "scans/<int:scan_pk>/", require_GET(claims.scan_download), name="claim_scan"),
]
