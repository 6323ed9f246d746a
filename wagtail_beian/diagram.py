"""The filing state machines as a Mermaid diagram, generated from the django-fsm-2 transitions."""

from django.utils import translation
from django_fsm import FSMFieldMixin


def _state_field(model):
    return next(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


def state_diagram(model, language="zh-hans"):
    """Mermaid ``stateDiagram-v2`` source for the model's state field (labels in ``language``)."""
    field = _state_field(model)
    with translation.override(language):
        lines = ["stateDiagram-v2", f"    [*] --> {field.default}"]
        for value, label in field.choices:
            lines.append(f"    {value} : {label}")
        edges = sorted(
            {(t.source, t.target, str(t.custom.get("label", t.name))) for t in field.get_all_transitions(model)}
        )
        for source, target, label in edges:
            lines.append(f"    {source} --> {target} : {label}")
    return "\n".join(lines) + "\n"


def readme_block(models, language="zh-hans"):
    """The README section: one fenced Mermaid block per state machine."""
    parts = []
    for model in models:
        parts.append(f"{model._meta.verbose_name_plural.title()} (`{model.__name__}.{_state_field(model).name}`):\n")
        parts.append("```mermaid\n" + state_diagram(model, language) + "```\n")
    return "\n".join(parts)
