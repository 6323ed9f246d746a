"""Filters of the staff filing listing.

The deadline filter looks at both deadlines a filing can have: its current one (provider, SMS,
bureau) and, for a change adding a website, the W05 deadline (at the bureau within 7 working days)
while it runs.
"""


import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ..models import Filing, FilingKind, FilingState, OrganizerNature, Province
from ..rules.deadlines import end_of_day
from ..rules.workdays import add_workdays
from ..services.assignment import clerks
from ..services.deadlines import WEBSITE_ADDITION_OPEN

DEADLINE_CHOICES = [
    ("overdue", _("Overdue")),
    ("1", _("Due within 1 working day")),
    ("2", _("Due within 2 working days")),
    ("5", _("Due within 5 working days")),
]


class TickedOnly(forms.CheckboxInput):
    """A checkbox filter that filters when ticked and is absent when not (no “…: False” chip)."""

    def value_from_datadict(self, data, files, name):
        return True if super().value_from_datadict(data, files, name) else None


ASSIGNMENT_CHOICES = [("mine", _("Assigned to me")), ("unassigned", _("Unassigned"))]


def _clerks(request=None):
    return clerks()


class FilingFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=FilingState.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FilingKind.choices, empty_label=_("All"))
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), field_name="subject__province", queryset=Province.objects.all()
    )
    nature = django_filters.ModelChoiceFilter(
        label=_("Organizer nature"), field_name="subject__nature", queryset=OrganizerNature.objects.all()
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=DEADLINE_CHOICES, method="filter_deadline", empty_label=_("All")
    )
    assignment = django_filters.ChoiceFilter(
        label=_("Assignment"), choices=ASSIGNMENT_CHOICES, method="filter_assignment", empty_label=_("All")
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Assigned clerk"), queryset=_clerks, null_label=_("Unassigned")
    )

    class Meta:
        model = Filing
        fields = ["state", "kind", "province", "nature", "deadline", "assignment", "assigned_to"]

    def filter_assignment(self, queryset, name, value):
        if value == "mine":
            user = getattr(self.request, "user", None)
            return queryset.filter(assigned_to=user) if user is not None and user.is_authenticated else queryset.none()
        if value == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        return queryset

    def filter_deadline(self, queryset, name, value):
        now = timezone.now()
        if value == "overdue":
            return queryset.filter(Q(deadline_at__lt=now) | (WEBSITE_ADDITION_OPEN & Q(website_addition_due_at__lt=now)))
        try:
            days = int(value)
        except (TypeError, ValueError):
            return queryset
        end = end_of_day(add_workdays(timezone.localdate(now), days))
        return queryset.filter(
            Q(deadline_at__gte=now, deadline_at__lte=end)
            | (WEBSITE_ADDITION_OPEN & Q(website_addition_due_at__gte=now, website_addition_due_at__lte=end))
        )
