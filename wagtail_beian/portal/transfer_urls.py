"""Access-transfer URLs of the portal, included by ``portal/urls.py`` under ``transfers/``.

No namespace of their own: they live in the portal's (``wagtail_beian_portal:transfer_*``).
"""

from django.urls import path

from . import transfers

urlpatterns = [
    path("", transfers.TransferListView.as_view(), name="transfer_list"),
    path("new/", transfers.TransferCreateView.as_view(), name="transfer_new"),
    path("<int:transfer_pk>/", transfers.TransferDetailView.as_view(), name="transfer_detail"),
]
