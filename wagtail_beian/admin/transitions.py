"""The one staff transition view, for every state machine: filings and websites, access transfers,
filing claims and support tickets.

A viewset adds it with :class:`TransitionViewSetMixin` (the way ``SnippetViewSet`` adds its URLs):
``<pk>/transition/<name>/``, named ``<namespace>:transition``. GET shows the confirmation, with the
reasons the customer will see where the transition needs them, the subject number where approval
needs it, or why the transition is not possible now. POST performs it through the viewset's
``perform_staff_transition`` (by default :func:`~wagtail_beian.services.workflow.perform_transition`).
The outcome reaches the user the same way everywhere:

- a bad form, or a ValidationError from the service, comes back at the form (400), nothing saved;
- a colleague who was faster, a forbidden or blocked transition: a message on the detail page;
- success: a message on the detail page.

Every transition is logged by the service; :class:`TransitionFormatter` shows those entries in the
history of each model ("label: from → to", with the reasons as the comment).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.log_actions import LogFormatter

from .. import permissions as perms
from ..exceptions import FilingError
from ..services.workflow import (
    Reason,
    log_action_name,
    perform_transition,
    reasons_comment,
    state_field,
    transition_refusal,
    transitions_of,
)


class ReasonForm(forms.Form):
    """One reason. Each of the offered reasons is optional (the formset asks for at least one); a
    reason that is started needs both its field and its problem."""

    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    problem = forms.CharField(label=gettext_lazy("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(
        label=gettext_lazy("Suggestion for the customer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, field_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "---------")] + list(field_choices)

    def clean(self):
        data = super().clean()
        field, problem = data.get("field"), (data.get("problem") or "").strip()
        if field and not problem:
            self.add_error("problem", _("Say what is wrong with this field."))
        elif problem and not field:
            self.add_error("field", _("Choose the field this reason is about."))
        elif (data.get("suggestion") or "").strip() and not field:
            self.add_error("field", _("Choose the field this reason is about."))
        return data


class BaseReasonFormSet(forms.BaseFormSet):
    #: False when reasons given earlier go along anyway (a reopened reason, F03).
    require_one = True

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.require_one and not any(form.cleaned_data.get("field") for form in self.forms):
            raise ValidationError(_("Give at least one reason: the field, the problem and a suggestion the customer will see."))

    def reasons(self):
        """The reasons given (the blank ones left out), for the services."""
        return [
            Reason(f.cleaned_data["field"], f.cleaned_data["problem"], f.cleaned_data.get("suggestion", ""))
            for f in self.forms if f.cleaned_data.get("field")
        ]


#: Three blank reasons are offered; the ones left blank are ignored (works without JavaScript).
ReasonFormSet = forms.formset_factory(ReasonForm, formset=BaseReasonFormSet, extra=3)


class TransitionForm(forms.Form):
    #: The state the user saw: a colleague's change meanwhile is reported, not overwritten.
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    subject_number = forms.CharField(
        label=gettext_lazy("Subject filing number from the bureau's reply"), required=False,
        help_text=gettext_lazy("e.g. 京ICP备2024012345号 — without the website suffix “-1”."),
    )

    note = forms.CharField(
        label=gettext_lazy("Why (the customer reads it)"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs_subject_number=False, needs_note=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_subject_number:
            self.fields["subject_number"].required = True
        else:
            del self.fields["subject_number"]
        if not needs_note:
            del self.fields["note"]


class StaffTransitionView(View):
    """GET: the confirmation (or why not now); POST: perform the transition. Configured by ``viewset``."""

    template_name = "wagtail_beian/admin/transition.html"
    viewset = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.viewset.get_transition_object(request, kwargs["pk"])  # 404 unless visible
        self.target = self.viewset.get_transition_target(request, self.object)
        known = transitions_of(type(self.target))
        if kwargs["name"] not in known or not self.viewset.offers_transition(kwargs["name"]):
            raise Http404
        self.name = kwargs["name"]
        self.custom = known[self.name].custom
        self.label = self.custom["label"]

    def dispatch(self, request, *args, **kwargs):
        permission = self.viewset.transition_permission
        if permission is not None and not perms.has_perm(request.user, permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def detail_url(self):
        return self.viewset.transition_detail_url(self.object)

    @cached_property
    def needs_subject_number(self):
        return bool(self.custom.get("needs_subject_number")) and self.viewset.asks_subject_number(self.object)

    def get_forms(self, data=None):
        state = getattr(self.target, state_field(type(self.target)).name)
        form = TransitionForm(
            data, initial={"expected_state": state}, needs_subject_number=self.needs_subject_number,
            needs_note=bool(self.custom.get("needs_note")),
        )
        reasons = None
        if self.custom.get("needs_reasons"):
            reasons = ReasonFormSet(
                data, prefix="reasons",
                form_kwargs={"field_choices": self.viewset.transition_reason_choices(self.object, self.target)},
                initial=None if data else self.viewset.transition_initial_reasons(self.object, self.target),
            )
            reasons.require_one = not self.viewset.transition_carried_reasons(self.object, self.target)
        return form, reasons

    def render(self, form=None, reasons=None, refusal=None, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "object": self.object, "target": self.target, "name": self.name, "label": self.label,
            "icon": self.viewset.icon, "form": form, "reasons": reasons, "refusal": refusal,
            "notice": self.viewset.transition_notice(self.object, self.name), "warning": self.custom.get("warning", ""),
            "carried_reasons": self.viewset.transition_carried_reasons(self.object, self.target) if reasons else [],
            "detail_url": self.detail_url,
            "website_pk": self.target.pk if self.target is not self.object else None,
        }, status=status)

    def get(self, request, *args, **kwargs):
        refusal = transition_refusal(self.target, self.name, request.user)
        if refusal is not None:
            return self.render(refusal=refusal)
        return self.render(*self.get_forms())

    def post(self, request, *args, **kwargs):
        form, reasons = self.get_forms(request.POST)
        if not (form.is_valid() & (reasons is None or reasons.is_valid())):
            return self.render(form, reasons, status=400)
        options = {"expected_state": form.cleaned_data.get("expected_state") or None}
        if reasons is not None:
            options["reasons"] = reasons.reasons()
        if self.needs_subject_number:
            options["subject_number"] = form.cleaned_data["subject_number"]
        if "note" in form.fields:
            options["note"] = form.cleaned_data["note"]
        try:
            self.viewset.perform_staff_transition(self.target, self.name, request.user, **options)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("subject_number" if "subject_number" in form.fields else None, error)
            return self.render(form, reasons, status=400)
        except FilingError as error:  # a colleague was faster, forbidden, blocked (with its findings)
            messages.error(request, error.message)
            for finding in error.findings[:10]:
                messages.error(request, f"{finding.field}: {finding.message} {finding.suggestion}")
            return redirect(self.detail_url)
        messages.success(request, self.viewset.transition_success_message(self.object, self.name, self.label))
        return redirect(self.detail_url)


class TransitionViewSetMixin:
    """Adds the staff transition view to a viewset; override the hooks below where a model needs to."""

    transition_view_class = StaffTransitionView
    #: The transitions staff perform from this viewset (None: every transition of the model).
    staff_transitions = None
    #: A permission needed for any of them, on top of each transition's own (None: none).
    transition_permission = None

    def get_urlpatterns(self):
        view = self.transition_view_class.as_view(viewset=self)
        return super().get_urlpatterns() + [path("<int:pk>/transition/<str:name>/", view, name="transition")]

    def get_transition_queryset(self, request):
        """The objects this user may see (each viewset narrows its own model)."""
        raise NotImplementedError

    def get_transition_object(self, request, pk):
        return get_object_or_404(self.get_transition_queryset(request), pk=pk)

    def get_transition_target(self, request, obj):
        """The object whose state changes (a filing's website, for the filing viewset)."""
        return obj

    def offers_transition(self, name):
        return self.staff_transitions is None or name in self.staff_transitions

    def transition_detail_url(self, obj):
        return reverse(f"{self.url_namespace}:inspect", args=[obj.pk])

    def transition_reason_choices(self, obj, target):
        """(value, label) of the fields a reason may name."""
        return []

    def transition_initial_reasons(self, obj, target):
        return None

    def transition_carried_reasons(self, obj, target):
        """Reasons given earlier that go along with this one (then no new reason is required)."""
        return []

    def asks_subject_number(self, obj):
        return False

    def transition_notice(self, obj, name):
        """What the confirmation page says before the button (what the action will do)."""
        return ""

    def perform_staff_transition(self, target, name, user, **options):
        return perform_transition(target, name, user, **options)

    def transition_success_message(self, obj, name, label):
        return _("Done: %(action)s.") % {"action": label}


# ----------------------------------------------------------------------------- history


class TransitionFormatter(LogFormatter):
    """"Label: from → to" in the staff's language (the website and the subject number where they
    apply), followed by the reasons given."""

    model = None
    label = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        states = dict(state_field(self.model).choices)
        source, target = data.get("from"), data.get("to")
        if source is None:
            message = f"{self.label}: {states.get(target, target)}"
        else:
            message = f"{self.label}: {states.get(source, source)} → {states.get(target, target)}"
        if data.get("website"):
            message += f" ({data['website'].get('domain')})"
        if data.get("subject_number"):
            message += f" {data['subject_number']}"
        return message

    def format_comment(self, log_entry):
        return reasons_comment(log_entry)


def register_transition_log_actions(actions, model, **extra):
    """Register every transition of ``model`` with the log; ``extra`` maps more action names
    (e.g. a request that starts the workflow) to their labels, shown with the same formatter."""
    labels = {log_action_name(model, name): t.custom["label"] for name, t in transitions_of(model).items()}
    labels.update(extra)
    for action, label in labels.items():
        formatter = type("TransitionFormatter", (TransitionFormatter,), {"model": model, "label": label})
        actions.register_action(action)(formatter)
