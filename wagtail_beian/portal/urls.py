"""Customer portal URLs (namespace ``wagtail_beian_portal``); every view needs a login."""

from django.urls import include, path

from . import views

app_name = "wagtail_beian_portal"

filing = "filings/<int:pk>/"
website = filing + "websites/<int:website_pk>/"

urlpatterns = [
    path("", views.FilingListView.as_view(), name="filing_list"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("filings/new/", views.FilingCreateView.as_view(), name="filing_create"),
    path(filing, views.FilingDetailView.as_view(), name="filing_detail"),
    path(filing + "reasons/<int:reason_pk>/answer/", views.ReasonAnswerView.as_view(), name="filing_reason_answer"),
    path(filing + "subject/", views.SubjectStepView.as_view(), name="filing_subject"),
    path(filing + "websites/", views.WebsitesStepView.as_view(), name="filing_websites"),
    path(website, views.WebsiteView.as_view(), name="website_edit"),
    path(website + "delete/", views.WebsiteDeleteView.as_view(), name="website_delete"),
    path(website + "access/", views.AccessView.as_view(), name="website_access"),
    path(website + "cancel/", views.CancelWebsiteView.as_view(), name="website_cancel"),
    path(website + "public-security/", views.PublicSecurityNumberView.as_view(), name="website_public_security"),
    path(filing + "documents/", views.DocumentsStepView.as_view(), name="filing_documents"),
    path(filing + "verification-sheet/", views.VerificationSheetView.as_view(), name="filing_verification_sheet"),
    path(filing + "security-agreement/", views.SecurityAgreementView.as_view(), name="filing_security_agreement"),
    path(filing + "summary/", views.SummaryView.as_view(), name="filing_summary"),
    path(filing + "change/", views.StartChangeView.as_view(), name="filing_change"),
    path(filing + "add-website/", views.AddWebsiteView.as_view(), name="filing_add_website"),
    path(filing + "cancel/", views.CancelSubjectView.as_view(), name="filing_cancel"),
    path(filing + "withdraw/", views.WithdrawView.as_view(), name="filing_withdraw"),
    path("tickets/", include("wagtail_beian.portal.ticket_urls")),  # support tickets (服务支持)
    path("transfers/", include("wagtail_beian.portal.transfer_urls")),  # access transfers (新增接入 / 取消接入)
    path("claims/", include("wagtail_beian.portal.claim_urls")),  # filing claims (备案归属)
]
