"""README stays true: the generated state diagram and the API examples with their outputs."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail_beian import validators
from wagtail_beian.diagram import readme_block
from wagtail_beian.management.commands.beian_state_diagram import END, START
from wagtail_beian.models import Filing, Website

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_state_diagram_is_generated_from_the_transitions():
    generated = README.split(START, 1)[1].split(END, 1)[0].strip()
    assert generated == readme_block([Filing, Website]).strip(), (
        "README's diagram is stale: run python sandbox/manage.py beian_state_diagram --readme README.md"
    )
    for name in ("submit", "approve", "confirm_cancellation"):
        assert name in {t.name for t in Filing._meta.get_field("state").get_all_transitions(Filing)}


def _examples():
    """(expression, expected) pairs of the README's ``>>>`` lines followed by an output line."""
    lines = README.splitlines()
    for i, line in enumerate(lines[:-1]):
        if not line.startswith(">>> "):
            continue
        expression = re.split(r"\s{2,}#", line[4:])[0].strip()
        following = lines[i + 1]
        if following.startswith(">>>") or following.startswith("```"):
            continue
        yield expression, re.split(r"\s{2,}#", following)[0].strip()


EXAMPLES = list(_examples())


def test_readme_has_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("expression,expected", EXAMPLES, ids=[e for e, _ in EXAMPLES])
def test_readme_example(expression, expected):
    namespace = {**{n: getattr(validators, n) for n in validators.__all__}, "date": datetime.date, "datetime": datetime}
    with translation.override("en"):
        if expected.startswith("ValidationError"):
            code = re.search(r'code "(\w+)"', expected).group(1)
            with pytest.raises(ValidationError) as error:
                eval(expression, namespace)  # noqa: S307 - README examples, our own text
            assert error.value.code == code
            message = expected.split(":", 1)[1].strip()
            assert " ".join(error.value.messages).startswith(message)
            return
        if expression.startswith("n = "):
            target, expression = expression[4:].split(";", 1)
            namespace["n"] = eval(target, namespace)  # noqa: S307
            expression = expression.strip()
        result = eval(expression, namespace)  # noqa: S307
        if "frozenset" in expected:
            assert result == eval(expected)  # noqa: S307 - set order is not fixed
        else:
            assert repr(result) == expected
