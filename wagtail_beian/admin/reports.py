"""F08 reports: empty shells (subjects without websites, websites without access) and access
records whose IPs lie outside the provider's own networks (nominal ≠ actual access); and the
clerks' workload (工作量统计).

Each is a Wagtail report (Reports menu), filterable by search and exportable as CSV/XLSX.
"""

import ipaddress
from functools import partial

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

from .. import permissions as perms
from ..models import Access, Filing, FilingKind, FilingState, HostedDomain, Website, WebsiteStatus
from ..services.workload import period_start, workload
from ..rules.domains import domain_to_unicode
from .policies import staff_filings


def provider_networks():
    """The provider's own IP ranges (``WAGTAIL_BEIAN_PROVIDER_IP_RANGES``, CIDR strings)."""
    return [ipaddress.ip_network(cidr, strict=False) for cidr in getattr(settings, "WAGTAIL_BEIAN_PROVIDER_IP_RANGES", [])]


def outside_networks(access, networks):
    """The IPs of an access record that none of the provider's networks contains."""
    outside = []
    for text in access.ip_list:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            outside.append(text)
            continue
        if not any(address.version == n.version and address in n for n in networks):
            outside.append(text)
    return outside


def filing_link(filing):
    return reverse("wagtail_beian_filings:inspect", args=[filing.pk])


class BeianReport(ReportView):
    header_icon = "warning"
    any_permission_required = None
    #: Who may open the report (and see it in the Reports menu).
    permission = perms.VIEW_FILING

    def dispatch(self, request, *args, **kwargs):
        if not perms.has_perm(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def approved_filings(self):
        return staff_filings(self.request.user).filter(kind=FilingKind.NEW, state=FilingState.APPROVED)


class ShellSubjectsReport(BeianReport):
    page_title = _("Empty-shell subjects")
    index_url_name = "wagtail_beian_reports:shell_subjects"
    index_results_url_name = "wagtail_beian_reports:shell_subjects_results"
    list_export = ["subject.name", "subject_number", "owner.email"]
    export_headings = {"subject.name": _("Organizer"), "subject_number": _("Subject filing number"), "owner.email": _("Customer")}
    columns = [
        TitleColumn("organizer", label=_("Organizer"), accessor="subject.name", get_url=filing_link),
        Column("subject_number", label=_("Subject filing number")),
        Column("owner", label=_("Customer"), accessor="owner.get_username"),
    ]

    def get_queryset(self):
        """F08: approved subjects with no active website left (空壳主体)."""
        return (
            self.approved_filings()
            .annotate(active=Count("websites", filter=Q(websites__status=WebsiteStatus.ACTIVE)))
            .filter(active=0)
            .select_related("subject", "owner")
            .order_by("subject_number")
        )


class ShellWebsitesReport(BeianReport):
    page_title = _("Empty-shell websites")
    index_url_name = "wagtail_beian_reports:shell_websites"
    index_results_url_name = "wagtail_beian_reports:shell_websites_results"
    list_export = ["domain", "name", "filing_number", "filing.subject.name"]
    export_headings = {"domain": _("Domain"), "name": _("Website name"), "filing_number": pgettext_lazy("beian", "Number"),
                       "filing.subject.name": _("Organizer")}
    columns = [
        TitleColumn("domain", label=_("Domain"), accessor=lambda w: domain_to_unicode(w.domain),
                    get_url=lambda w: filing_link(w.filing)),
        Column("name", label=_("Website name")),
        Column("filing_number", label=pgettext_lazy("beian", "Number")),
        Column("organizer", label=_("Organizer"), accessor="filing.subject.name"),
    ]

    def get_queryset(self):
        """F08: active websites of approved filings without any access record here (空壳网站)."""
        return (
            Website.objects.filter(filing__in=self.approved_filings(), status=WebsiteStatus.ACTIVE, access_records__isnull=True)
            .select_related("filing__subject")
            .order_by("domain")
        )


class OffNetworkAccessReport(BeianReport):
    page_title = _("Access outside the provider's networks")
    index_url_name = "wagtail_beian_reports:off_network"
    index_results_url_name = "wagtail_beian_reports:off_network_results"
    list_export = ["website.domain", "ip_addresses", "outside"]
    export_headings = {"website.domain": _("Domain"), "ip_addresses": _("IP addresses"), "outside": _("Outside")}
    columns = [
        TitleColumn("domain", label=_("Domain"), accessor=lambda a: domain_to_unicode(a.website.domain),
                    get_url=lambda a: filing_link(a.website.filing)),
        Column("ip_addresses", label=_("IP addresses"), accessor=lambda a: ", ".join(a.ip_list)),
        Column("outside", label=_("Outside the provider's networks"), accessor=lambda a: ", ".join(a.outside)),
    ]

    def get_queryset(self):
        """F08: nominal access whose IPs the provider does not serve (configure the ranges first)."""
        networks = provider_networks()
        records = (
            Access.objects.filter(website__filing__in=self.approved_filings(), website__status=WebsiteStatus.ACTIVE)
            .select_related("website__filing")
            .order_by("website__domain", "pk")
        )
        found = []
        for access in records:
            access.outside = outside_networks(access, networks)
            if access.outside:
                found.append(access)
        return found


class HostedSituation:
    """Why a hosted domain has no access here (the report's filter and column)."""

    NOT_FILED = "not_filed"
    NOT_APPROVED = "not_approved"
    NO_ACCESS = "no_access"
    CHOICES = [
        (NOT_FILED, _("No filing here (filed elsewhere, or not at all)")),
        (NOT_APPROVED, _("Filing here not approved yet")),
        (NO_ACCESS, _("Filed here without access here")),
    ]
    LABELS = dict(CHOICES)


class HostedWithoutAccessFilterSet(WagtailFilterSet):
    situation = django_filters.ChoiceFilter(
        label=_("Situation"), choices=HostedSituation.CHOICES, empty_label=_("All"), method="filter_situation"
    )
    domain = django_filters.CharFilter(label=_("Domain"), lookup_expr="icontains")

    class Meta:
        model = HostedDomain
        fields = ["situation", "domain"]

    def filter_situation(self, queryset, name, value):
        return queryset.filter(situation=value) if value else queryset


class HostedWithoutAccessReport(BeianReport):
    """F08, actual vs nominal access: domains the provider serves (imported list) that no approved,
    live website with an access record here covers — filed elsewhere, not filed at all, not yet
    approved here, or filed here without access here. Three queries whatever the list's size."""

    page_title = _("Served here without access here")
    index_url_name = "wagtail_beian_reports:hosted_without_access"
    index_results_url_name = "wagtail_beian_reports:hosted_without_access_results"
    filterset_class = HostedWithoutAccessFilterSet
    list_export = ["domain", "situation_label", "filing_number", "hosts"]
    export_headings = {"domain": _("Domain"), "situation_label": _("Situation"),
                       "filing_number": _("Subject filing number"), "hosts": _("Hosts seen")}
    columns = [
        TitleColumn("domain", label=_("Domain"), accessor=lambda d: domain_to_unicode(d.domain),
                    get_url=lambda d: reverse("wagtail_beian_filings:inspect", args=[d.filing_id]) if d.filing_id else None),
        Column("situation", label=_("Situation"), accessor="situation_label"),
        Column("filing_number", label=_("Subject filing number")),
        Column("hosts", label=_("Hosts seen"), accessor=lambda d: ", ".join(d.hosts.split())),
    ]

    def get_queryset(self):
        live = Website.objects.filter(domain=OuterRef("domain"), is_live=True, filing__kind=FilingKind.NEW)
        approved = live.filter(filing__state=FilingState.APPROVED, status=WebsiteStatus.ACTIVE)
        return (
            HostedDomain.objects.annotate(
                access_here=Exists(approved.filter(access_records__isnull=False)),
                filing_id=Subquery(live.values("filing_id")[:1]),
                filing_number=Subquery(live.values("filing__subject_number")[:1]),
                situation=Case(
                    When(~Exists(live), then=Value(HostedSituation.NOT_FILED)),
                    When(~Exists(approved), then=Value(HostedSituation.NOT_APPROVED)),
                    default=Value(HostedSituation.NO_ACCESS),
                ),
            )
            .filter(access_here=False)
            .order_by("domain")
        )

    def decorate_paginated_queryset(self, object_list):
        for domain in object_list:
            domain.situation_label = HostedSituation.LABELS.get(domain.situation, domain.situation)
            domain.filing_number = domain.filing_number or ""
        return object_list


PERIODS = [("week", _("This week")), ("month", _("This month")), ("30", _("Last 30 days")), ("90", _("Last 90 days"))]


class WorkloadFilterSet(WagtailFilterSet):
    """The period of the figures of work done; the report reads it (the rows are not a queryset)."""

    period = django_filters.ChoiceFilter(label=_("Period"), choices=PERIODS, empty_label=None, method="keep")

    class Meta:
        model = Filing
        fields = ["period"]

    def keep(self, queryset, name, value):
        return queryset


def _days(value):
    return "—" if value is None else f"{value:g}"


class WorkloadReport(BeianReport):
    """工作量统计: per clerk, the filings waiting on them and overdue, what they verified and returned
    in the period, and the median working days from submission to verification
    (:mod:`wagtail_beian.services.workload`)."""

    page_title = _("Clerks' workload")
    header_icon = "group"
    permission = perms.VIEW_WORKLOAD
    index_url_name = "wagtail_beian_reports:workload"
    index_results_url_name = "wagtail_beian_reports:workload_results"
    filterset_class = WorkloadFilterSet
    paginate_by = None
    list_export = ["name", "waiting", "overdue", "verified", "returned", "median_days"]
    export_headings = {
        "name": _("Clerk"), "waiting": _("Waiting on the clerk"), "overdue": _("Of which overdue"),
        "verified": _("Verified in the period"), "returned": _("Returned in the period"),
        "median_days": _("Median working days to verify"),
    }
    columns = [
        Column("name", label=_("Clerk")),
        Column("waiting", label=_("Waiting on the clerk")),
        Column("overdue", label=_("Of which overdue")),
        Column("verified", label=_("Verified in the period")),
        Column("returned", label=_("Returned in the period")),
        Column("median_days", label=_("Median working days to verify"), accessor=lambda row: _days(row.median_days)),
    ]

    @property
    def period(self):
        filters = self.filters
        value = filters.form.cleaned_data.get("period") if filters is not None and filters.is_valid() else ""
        return value or "week"

    def get_queryset(self):
        return workload(period_start(self.period))

    def filter_queryset(self, queryset):
        return queryset  # the filter is the period, read by get_queryset

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["median_days"] = item.median_days if item.median_days is not None else ""
        return row


REPORTS = [
    ("shell_subjects", "shell-subjects/", ShellSubjectsReport),
    ("shell_websites", "shell-websites/", ShellWebsitesReport),
    ("off_network", "off-network-access/", OffNetworkAccessReport),
    ("hosted_without_access", "hosted-without-access/", HostedWithoutAccessReport),
    ("workload", "workload/", WorkloadReport),
]


def urlpatterns():
    patterns = []
    for name, route, view in REPORTS:
        patterns.append(path(route, view.as_view(), name=name))
        patterns.append(path(route + "results/", view.as_view(results_only=True), name=f"{name}_results"))
    return patterns


class BeianReportMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return perms.has_perm(request.user, self.permission)


def report_menu_item(name):
    """The Reports-menu entry of report ``name`` (a register_reports_menu_item hook)."""
    index, view = next((i, v) for i, (n, _r, v) in enumerate(REPORTS) if n == name)
    return BeianReportMenuItem(
        view.page_title, reverse(f"wagtail_beian_reports:{name}"), name=f"beian-{name}", icon_name=view.header_icon,
        order=1100 + index, permission=view.permission,
    )


class ReportsViewSet(ViewSet):
    """The F08 reports under ``/admin/beian/reports/``; each has its entry in Wagtail's Reports menu."""

    name = "wagtail_beian_reports"
    url_prefix = "beian/reports"

    def get_urlpatterns(self):
        return urlpatterns()

    def on_register(self):
        super().on_register()
        for name, _route, _view in REPORTS:
            hooks.register("register_reports_menu_item", partial(report_menu_item, name))
