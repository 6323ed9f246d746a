"""Field paths of a filing ("subject.mailing_address", "websites.0.domain", "documents.0.verification_sheet").

Pre-flight findings and return reasons name fields by these paths; the admin offers them as
choices and the portal uses them to show each reason at its field and unlock only those fields.
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import Subject, Website
from ..rules.documents import document_label
from ..rules.domains import domain_to_unicode
from .documents import required_documents_for

#: A field that goes with another: a reason on the first unlocks the second too, and a change of the
#: second answers it (the note that explains an address without a house number, R04).
COMPANIONS = {"subject.mailing_address": ("subject.mailing_address_note",)}

_NOT_EDITABLE = {"id", "filing", "source", "is_live", "site_number", "status", "cancelled_at", "sort_order",
                 "certificate_override", "public_security_number"}


def _data_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in _NOT_EDITABLE]


def reason_field_choices(filing, required_documents=()):
    """(path, label) for every field a reason may point at, in screen order."""
    subject, access, document = _("Subject"), _("access"), pgettext("beian", "Document")
    choices = [(f"subject.{f.name}", f"{subject} · {f.verbose_name}") for f in _data_fields(Subject)]
    websites = list(filing.websites.all())
    for index, website in enumerate(websites):
        label = website.domain or website.name or str(index + 1)
        choices += [(f"websites.{index}.{f.name}", f"{label} · {f.verbose_name}") for f in _data_fields(Website)]
        choices.append((f"websites.{index}.access", f"{label} · {access}"))
    index_of = {w.pk: i for i, w in enumerate(websites)}
    seen = set()
    for doc in required_documents:
        key = index_of.get(doc.website_key)
        path = f"documents.{doc.kind}" if key is None else f"documents.{key}.{doc.kind}"
        if path not in seen:
            seen.add(path)
            site = f" ({websites[key].domain})" if key is not None else ""
            choices.append((path, f"{document} · {document_label(doc.kind)}{site}"))
    choices.append(("other", _("Other")))
    return choices


def document_path(document, websites):
    """The field path of an uploaded document."""
    return _document_path(document.kind, document.website_id, websites)


def required_document_path(required, websites):
    """The field path of a required document (``documents.<kind>`` or ``documents.<i>.<kind>``)."""
    return _document_path(required.kind, required.website_key, websites)


def _document_path(kind, website_id, websites):
    index = next((i for i, w in enumerate(websites) if w.pk == website_id), None)
    return f"documents.{kind}" if index is None else f"documents.{index}.{kind}"


def field_labels(filing):
    """{field path: readable label} for this filing (reasons and findings show these, not paths)."""
    return dict(reason_field_choices(filing, required_documents_for(filing)))


def label_items(reasons, labels):
    """Give each reason a ``label`` for its field path (an unknown path shows as it is)."""
    for reason in reasons:
        reason.label = labels.get(reason.field, reason.field)
    return reasons


def display_rows(instance, names, prefix=""):
    """[(path, label, value as text)] of ``instance``'s fields ``names``, for a read-only page: codes by
    their names, several by 、, yes/no in words, domains in their Unicode form, "—" when empty."""
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            text = "、".join(str(o) for o in getattr(instance, name).all())
        elif isinstance(field, models.BooleanField):
            text = _("yes") if getattr(instance, name) else _("no")
        elif field.choices:
            text = getattr(instance, f"get_{name}_display")()
        else:
            value = getattr(instance, name)
            text = "" if value is None else str(value)
            if name in ("domain", "homepage") and text:
                text = domain_to_unicode(text)
        rows.append((f"{prefix}{name}", field.verbose_name, text or "—"))
    return rows
