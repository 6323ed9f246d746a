"""The documentation stays true: the generated state diagram (docs/workflow.md), the API examples
with their outputs (docs/rules.md), links that resolve inside the repository, a short README."""

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

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README_PATH = ROOT / "README.md"
RULES = (DOCS / "rules.md").read_text(encoding="utf-8")
WORKFLOW = (DOCS / "workflow.md").read_text(encoding="utf-8")
MARKDOWN_FILES = [README_PATH, ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]
README_MAX_BYTES = 12 * 1024


def test_state_diagram_is_generated_from_the_transitions():
    assert START in WORKFLOW and END in WORKFLOW, "docs/workflow.md lost its generated diagram"
    generated = WORKFLOW.split(START, 1)[1].split(END, 1)[0].strip()
    assert generated == readme_block([Filing, Website]).strip(), (
        "docs/workflow.md's diagram is stale: run "
        "python sandbox/manage.py beian_state_diagram --docs docs/workflow.md"
    )
    for name in ("submit", "approve", "confirm_cancellation"):
        assert name in {t.name for t in Filing._meta.get_field("state").get_all_transitions(Filing)}


def _examples():
    """(expression, expected) pairs of docs/rules.md's ``>>>`` lines followed by an output line."""
    lines = RULES.splitlines()
    for i, line in enumerate(lines[:-1]):
        if not line.startswith(">>> "):
            continue
        expression = re.split(r"\s{2,}#", line[4:])[0].strip()
        following = lines[i + 1]
        if following.startswith(">>>") or following.startswith("```"):
            continue
        yield expression, re.split(r"\s{2,}#", following)[0].strip()


EXAMPLES = list(_examples())


def test_rules_doc_has_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("expression,expected", EXAMPLES, ids=[e for e, _ in EXAMPLES])
def test_rules_doc_example(expression, expected):
    namespace = {**{n: getattr(validators, n) for n in validators.__all__}, "date": datetime.date, "datetime": datetime}
    with translation.override("en"):
        if expected.startswith("ValidationError"):
            code = re.search(r'code "(\w+)"', expected).group(1)
            with pytest.raises(ValidationError) as error:
                eval(expression, namespace)  # noqa: S307 - docs/rules.md examples, our own text
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


def test_readme_is_short():
    size = README_PATH.stat().st_size
    assert size <= README_MAX_BYTES, (
        f"README.md is {size} bytes (at most {README_MAX_BYTES}): move detail to a page in docs/"
    )


# [text](target) and [text]: target; images too. Code spans and fenced blocks are skipped.
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def _prose(text):
    """The Markdown without fenced code blocks and inline code spans (links there are not links)."""
    text = re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", text, flags=re.DOTALL)


def _relative_links():
    for path in MARKDOWN_FILES:
        prose = _prose(path.read_text(encoding="utf-8"))
        for target in _INLINE_LINK.findall(prose) + _REFERENCE_LINK.findall(prose):
            if not _EXTERNAL.match(target):
                yield path, target


RELATIVE_LINKS = list(_relative_links())


def test_readme_links_every_docs_page():
    assert {p.name for p in DOCS.glob("*.md")} >= {
        "installation.md", "staff-guide.md", "customer-portal.md", "spreadsheets.md", "rules.md",
        "workflow.md", "deployment.md", "development.md", "security.md",
    }
    linked_from_readme = {
        (ROOT / target.split("#", 1)[0]).resolve()
        for path, target in RELATIVE_LINKS
        if path == README_PATH
    }
    missing = [p.name for p in DOCS.glob("*.md") if p.resolve() not in linked_from_readme]
    assert not missing, f"README.md does not link to docs pages: {missing}"


@pytest.mark.parametrize(
    "path,target", RELATIVE_LINKS, ids=[f"{p.relative_to(ROOT)}->{t}" for p, t in RELATIVE_LINKS]
)
def test_relative_link_resolves_inside_the_repository(path, target):
    where = path.relative_to(ROOT)
    assert not target.startswith("../"), f"{where} links outside its folder: {target}"
    file_part = target.split("#", 1)[0].split("?", 1)[0]
    resolved = (path.parent / file_part).resolve()
    assert resolved.is_relative_to(ROOT), f"{where} links outside the repository: {target}"
    assert resolved.exists(), f"{where} links to a missing file: {target}"
