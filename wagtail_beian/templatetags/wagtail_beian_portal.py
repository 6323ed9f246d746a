from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``notes|get_item:field.name`` — the notes shown at one field."""
    if not mapping:
        return []
    return mapping.get(key, [])
