"""The filing listing, the reviewer's detail screen and assignment, as a Wagtail snippet viewset.

A snippet viewset gives the listing Wagtail's bulk actions (assign, remind). Every view reads
through :func:`staff_filings` and the registered permission policy, never a bare queryset.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_registry
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import permissions as perms
from ..models import Filing, FilingKind, FilingReason, ReviewStatus, Website
from ..models.states import UNSETTLED_REASON_STATUSES
from ..rules.domains import domain_to_unicode
from ..rules.identity import mask_certificate_number
from ..rules.workdays import uncovered_years
from ..services.assignment import assign_filing, clerks
from ..services.documents import documents_to_review, required_documents_for
from ..services.edits import changes_comment
from ..services.fields import document_path, field_labels, label_items, reason_field_choices
from ..services.preflight import CodeSnapshot, preflight, with_preflight_relations
from ..services.reasons import can_settle, settle_reason, with_changes
from ..services.search import search_filings
from ..services.status import deadline_text, missing_summary
from ..services.workflow import available_transitions, transition_options
from . import documents
from .exports import FilingExportMixin, spreadsheet_template
from .filters import FilingFilterSet
from .policies import AppViewSetMixin, FilingPermissionPolicy, policy_for, staff_filings
from .transitions import TransitionViewSetMixin, register_transition_log_actions


def show_personal_data(user):
    return perms.has_perm(user, perms.VIEW_PERSONAL_DATA)


def certificate_for(user, number):
    """Certificate numbers are masked for users without the personal-data permission (PIPL)."""
    return number if show_personal_data(user) else mask_certificate_number(number)


class FilingIndexView(FilingExportMixin, snippet_views.IndexView):
    filterset_class = FilingFilterSet
    search_fields = ["subject__name"]  # makes the listing searchable; the search itself is ours
    default_ordering = "-created_at"

    def get_base_queryset(self):
        queryset = staff_filings(self.request.user)
        # A correlated count, not a JOIN + GROUP BY: grouping the whole table before paging cost
        # seconds at 100 000 filings (bench/scale_bench.py).
        open_reasons = (
            FilingReason.objects.filter(filing=OuterRef("pk"), status__in=UNSETTLED_REASON_STATUSES)
            .order_by().values("filing").annotate(n=Count("pk")).values("n")
        )
        return with_preflight_relations(queryset).select_related("assigned_to", "owner", "amends").annotate(
            open_reason_count=Coalesce(Subquery(open_reasons, output_field=IntegerField()), 0)
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_filings(queryset, self.search_query)

    @cached_property
    def codes(self):
        return CodeSnapshot.load()

    @cached_property
    def columns(self):
        user = self.request.user
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            TitleColumn(
                "organizer", label=_("Organizer"), accessor=lambda f: str(getattr(f, "subject", "") or f),
                get_url=lambda f: reverse("wagtail_beian_filings:inspect", args=[f.pk]),
                get_title_id=lambda f: f"snippet_{f.pk}_title",
            ),
            Column("certificate", label=_("Certificate number"),
                   accessor=lambda f: certificate_for(user, f.subject.certificate_number) if hasattr(f, "subject") else ""),
            Column("domains", label=_("Domains"),
                   accessor=lambda f: ", ".join(domain_to_unicode(w.domain) for w in f.websites.all())),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            StatusTagColumn("state", label=_("State"), accessor="get_state_display",
                            primary=lambda f: f.state_info.turn == "provider"),
            Column("deadline", label=_("Deadline"), accessor=deadline_text, sort_key="deadline_at"),
            Column("missing", label=_("Missing"), accessor=lambda f: _missing_text(missing_summary(f, self.codes))),
            Column("assigned_to", label=_("Clerk"), accessor=lambda f: f.assigned_to.get_username() if f.assigned_to else ""),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["calendar_warning_years"] = uncovered_years(today, today.replace(year=today.year + 1))
        return context


def _missing_text(summary):
    parts = []
    if summary["documents"]:
        parts.append(_("Documents: %(list)s") % {"list": "、".join(str(d) for d in summary["documents"])})
    if summary["reasons"]:
        parts.append(_("%(count)s open reasons") % {"count": summary["reasons"]})
    return "；".join(str(p) for p in parts)


class FilingInspectView(snippet_views.InspectView):
    """One screen with everything a reviewer needs."""

    template_name = "wagtail_beian/admin/filings/detail.html"
    page_title = _("Filing details")

    def get_object(self, queryset=None):
        return get_object_or_404(
            with_preflight_relations(staff_filings(self.request.user))
            .select_related("amends", "owner", "assigned_to")
            .prefetch_related("websites__access_records__method"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        user = self.request.user
        websites = list(filing.websites.all())
        labels = field_labels(filing)
        for website in websites:
            website.available_transitions = available_transitions(website, user)
            website.responsible_certificate_shown = certificate_for(user, website.responsible_certificate_number)
        history = list(log_registry.get_logs_for_instance(filing).select_related("user").order_by("-timestamp", "-pk"))
        findings = preflight(filing)
        transitions, blocked = transition_options(filing, user, findings)
        context.update(
            filing=filing,
            subject=getattr(filing, "subject", None),
            websites=websites,
            documents=documents_to_review(filing),  # the order the review pages step through
            findings=[(f, labels.get(f.field, f.field)) for f in findings],
            reasons=with_changes(
                label_items(list(FilingReason.objects.filter(filing=filing).select_related("created_by", "confirmed_by")), labels),
                history,
            ),
            can_settle_reasons=can_settle(user, filing),
            history=history,
            transitions=transitions,
            blocked=[(t, [(f, labels.get(f.field, f.field)) for f in findings]) for t, findings in blocked],
            deadline=deadline_text(filing),
            show_personal_data=show_personal_data(user),
            certificate_number=certificate_for(user, filing.subject.certificate_number) if hasattr(filing, "subject") else "",
            responsible_certificate_number=(
                certificate_for(user, filing.subject.responsible_certificate_number) if hasattr(filing, "subject") else ""
            ),
            missing=missing_summary(filing, CodeSnapshot.load()),
        )
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if self.permission_policy.user_has_permission_for_instance(self.request.user, "change", self.object):
            buttons.append(HeaderButton(_("Assign"), url=reverse("wagtail_beian_filings:edit", args=[self.object.pk]), icon_name="user"))
        return buttons


class EditDataFormatter(LogFormatter):
    """An edit of the filing's data, with what changed: “通讯地址: 中关村大街27号 → 中关村大街27号1101室”."""

    label = _("Edit filing data")

    def format_message(self, log_entry):
        return gettext("Filing data edited")

    def format_comment(self, log_entry):
        return changes_comment(log_entry)


class UploadFormatter(EditDataFormatter):
    """A scan uploaded, replacing the earlier one: “身份证正面: old.jpg → new.jpg”."""

    label = _("Upload document")

    def format_message(self, log_entry):
        return gettext("Document uploaded")


class AssignForm(forms.Form):
    clerk = forms.ModelChoiceField(
        label=_("Clerk"), queryset=clerks(), required=False, empty_label=_("Nobody (unassigned)"),
        help_text=_("Staff members who may verify filings."),
    )


class FilingAssignView(View):
    """Assign one filing to a clerk (经办人). The filing record itself has no edit form: its state,
    customer, timestamps and deadlines change only through their own logged paths, its data part
    by part (subject, websites, access)."""

    template_name = "wagtail_beian/admin/filings/assign.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filing = get_object_or_404(staff_filings(request.user).select_related("assigned_to"), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not policy_for(Filing).user_has_permission_for_instance(request.user, "change", self.filing):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "filing": self.filing, "form": form,
            "detail_url": reverse("wagtail_beian_filings:inspect", args=[self.filing.pk]),
        }, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(AssignForm(initial={"clerk": self.filing.assigned_to_id}))

    def post(self, request, *args, **kwargs):
        form = AssignForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        clerk = form.cleaned_data["clerk"]
        try:
            assign_filing(self.filing, request.user, clerk)
        except ValidationError as error:
            form.add_error("clerk", error.messages)
            return self.render(form, status=400)
        if clerk is None:
            messages.success(request, _("%(filing)s is no longer assigned.") % {"filing": self.filing})
        else:
            messages.success(request, _("%(filing)s assigned to %(clerk)s.") % {
                "filing": self.filing, "clerk": clerk.get_username()})
        return redirect("wagtail_beian_filings:inspect", self.filing.pk)


class ReasonSettleView(View):
    """POST: the clerk confirms a reason the customer answered, or reopens it (F03)."""

    http_method_names = ["post"]

    def post(self, request, pk, reason_pk, action):
        filing = get_object_or_404(staff_filings(request.user), pk=pk)
        reason = get_object_or_404(FilingReason, pk=reason_pk, filing=filing)
        if not can_settle(request.user, filing):
            raise PermissionDenied
        try:
            settle_reason(reason, request.user, action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = field_labels(filing).get(reason.field, reason.field)
            message = _("Reason on “%(field)s” confirmed.") if action == "confirm" else _(
                "Reason on “%(field)s” reopened: it goes back to the customer with the next return.")
            messages.success(request, message % {"field": label})
        return redirect(reverse("wagtail_beian_filings:inspect", args=[pk]) + "#beian-reasons")


class ReasonFormatter(LogFormatter):
    """A reason answered, confirmed or reopened: “通讯地址: 缺少门牌号”."""

    def format_comment(self, log_entry):
        data = log_entry.data or {}
        text = data.get("answer") or data.get("problem") or ""
        return f"{data.get('label') or data.get('field', '')}: {text}"


class FilingHistoryView(snippet_views.HistoryView):
    def get_object(self):
        return get_object_or_404(staff_filings(self.request.user), pk=self.kwargs["pk"])


class FilingViewSet(AppViewSetMixin, TransitionViewSetMixin, SnippetViewSet):
    model = Filing
    icon = "doc-full-inverse"
    menu_label = _("Filings")
    menu_order = 100
    url_namespace = "wagtail_beian_filings"
    url_prefix = "beian/filings"
    index_view_class = FilingIndexView
    inspect_view_class = FilingInspectView
    history_view_class = FilingHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 25
    form_fields = ["assigned_to"]  # unused: the "edit" route is the assignment (FilingAssignView)

    def register_chooser_viewset(self):
        """No chooser: nothing needs to pick a filing, and a chooser would list them all."""

    permission_policy_class = FilingPermissionPolicy

    @classmethod
    def register_log_actions(cls, actions):
        for model in (Filing, Website):
            register_transition_log_actions(actions, model)
        for action, label, message in [
            ("wagtail_beian.start_change", _("Start change"), _("Change started")),
            ("wagtail_beian.apply_change", _("Apply change"), _("Approved change applied")),
            ("wagtail_beian.document_download", _("Download document"), _("Document downloaded")),
            ("wagtail_beian.document_review", _("Review document"), _("Document reviewed")),
            ("wagtail_beian.assign", _("Assign"), _("Assigned to a clerk")),
            ("wagtail_beian.remind", _("Remind customer"), _("Reminder sent to the customer")),
            ("wagtail_beian.verification_sheet", _("Generate verification sheet"),
             _("Verification sheet generated by the customer")),
            ("wagtail_beian.security_agreement", _("Generate security agreement"),
             _("Security agreement generated by the customer")),
            ("wagtail_beian.certificate_override", _("Accept certificate checksum"),
             _("Certificate number accepted despite its checksum")),
        ]:
            actions.register_action(action, label, message)
        actions.register_action("wagtail_beian.edit_data")(EditDataFormatter)
        actions.register_action("wagtail_beian.upload")(UploadFormatter)
        for action, label, message in [
            ("answer_reason", _("Explain a reason"), _("Customer explained a reason")),
            ("confirm_reason", _("Confirm a reason"), _("Reason confirmed")),
            ("reopen_reason", _("Reopen a reason"), _("Reason reopened")),
        ]:
            actions.register_action(f"wagtail_beian.{action}")(
                type(f"{action.title()}Formatter", (ReasonFormatter,), {"label": label, "message": message}))

    # --- the staff transition view (admin/transitions.py): a filing's or one of its websites'

    def get_transition_queryset(self, request):
        return staff_filings(request.user)

    def get_transition_target(self, request, filing):
        website_pk = request.GET.get("website") or request.POST.get("website")
        return get_object_or_404(Website, pk=website_pk, filing=filing) if website_pk else filing

    def transition_reason_choices(self, filing, target):
        return reason_field_choices(filing, required_documents_for(filing))

    def transition_initial_reasons(self, filing, target):
        """A document a reviewer rejected becomes a suggested reason for the customer."""
        websites = list(filing.websites.all())
        return [
            {"field": document_path(d, websites), "problem": d.review_reason, "suggestion": gettext("Upload a new scan.")}
            for d in filing.documents.filter(review_status=ReviewStatus.REJECTED)
        ]

    def transition_carried_reasons(self, filing, target):
        """Reasons the clerk reopened go back with the return (F03)."""
        if target is not filing:
            return []
        return label_items(list(filing.open_reasons()), field_labels(filing))

    def asks_subject_number(self, filing):
        return filing.kind == FilingKind.NEW  # a change keeps the number of the filing it amends

    def get_urlpatterns(self):
        # No generic edit form: Wagtail's "edit" links (history, listing) lead to the assignment.
        routed = [p for p in super().get_urlpatterns() if p.name != "edit"]
        return routed + [
            path("", self.index_view, name="index"),  # the name other viewsets and links use
            path("<int:pk>/assign/", FilingAssignView.as_view(), name="edit"),
            path("spreadsheet-template/", spreadsheet_template, name="spreadsheet_template"),
            path("<int:pk>/documents/<int:document_pk>/review/", documents.DocumentReviewView.as_view(), name="review_document"),
            path("<int:pk>/documents/<int:document_pk>/preview/", documents.document_preview, name="preview_document"),
            path("<int:pk>/reasons/<int:reason_pk>/<str:action>/", ReasonSettleView.as_view(), name="settle_reason"),
        ]
