"""What changed in a filing's data, field by field (before → after), for its history.

Every edit of a filing's data, by the customer in the portal or by staff in the admin, is logged as
``wagtail_beian.edit_data`` with its changes: the field's path (as reasons name it), its label, the
value before and after, as text. Certificate numbers are stored masked (PIPL): the history is read
by staff without ``view_personal_data`` too.
"""

from django import forms
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..rules.identity import mask_certificate_number


def _text(field, value):
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = value if all(hasattr(v, "pk") for v in value) else field.queryset.filter(pk__in=value)
        return "、".join(sorted(str(o) for o in objects))
    if isinstance(field, forms.ModelChoiceField):
        obj = value if hasattr(value, "pk") else field.queryset.filter(pk=value).first()
        return str(obj) if obj is not None else ""
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    return str(value)


def form_changes(form, prefix, before):
    """[{field, label, before, after}] of a bound, valid form; ``before`` maps field names to the
    values the form was built with (``initial_values(form)`` before validation)."""
    changes = []
    for name in form.changed_data:
        field = form.fields[name]
        old, new = _text(field, before.get(name)), _text(field, form.cleaned_data.get(name))
        if old == new:
            continue
        if "certificate_number" in name:
            old, new = mask_certificate_number(old), mask_certificate_number(new)
        changes.append({"field": f"{prefix}.{name}", "label": str(field.label), "before": old, "after": new})
    return changes


def initial_values(form):
    """The values a form shows before it is validated (validation writes into its instance)."""
    return {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}


def log_edit(filing, user, what, changes, **extra):
    """Log one edit of ``filing``'s data with its changes; nothing when nothing changed."""
    if not changes:
        return None
    return log(filing, "wagtail_beian.edit_data", user=user, data={
        "object": what, "fields": [c["field"].rsplit(".", 1)[-1] for c in changes], "changes": changes, **extra,
    })


def changes_comment(log_entry):
    """“label: before → after; …” of an edit (empty for older entries that kept only field names)."""
    return "; ".join(
        f"{c['label']}: {c['before'] or '—'} → {c['after'] or '—'}" for c in (log_entry.data or {}).get("changes") or []
    )
