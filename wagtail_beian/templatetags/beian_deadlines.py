"""Deadlines in templates: ``{% load beian_deadlines %}{% transfer_deadlines transfer as deadlines %}``."""

from django import template

from ..services.status import transfer_deadlines_described

register = template.Library()


@register.simple_tag
def transfer_deadlines(transfer):
    """The access transfer's running deadlines: [{"kind", "text", "due_at", "overdue"}] (F04, W05)."""
    return transfer_deadlines_described(transfer)
