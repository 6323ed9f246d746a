import re

from django import template

register = template.Library()

#: A rule id in a text, with the brackets around it: " (D03)", "（R04）", "(W05、D04)".
_RULE_ID = re.compile(r"\s*[(（]\s*[RWDFN]\d\d(?:\s*[、,，–-]\s*[RWDFN]?\d\d)*\s*[)）]")


@register.filter
def get_item(mapping, key):
    """``notes|get_item:field.name`` — the notes shown at one field."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.filter
def customer_text(text):
    """A help text or message as a customer reads it: rule ids (R04, W05, D04 …) are for staff."""
    if not text:
        return text
    return _RULE_ID.sub("", str(text))
