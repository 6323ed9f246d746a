"""The Simplified Chinese catalog: complete, compiled, covering the code, and really used.

Pure Python on purpose (no polib, no gettext tools needed): the .po is parsed here, the .mo is
read with the standard library, and the strings the code marks for translation are found with
``ast`` (Python) and regular expressions (templates), the way ``makemessages`` finds them.

A developer who adds ``_("...")`` without translating it fails
``test_every_marked_string_in_the_code_is_translated``; the fix is::

    cd wagtail_beian && ../.venv/bin/django-admin makemessages -l zh_Hans --no-location
    # translate the new entries (no "#, fuzzy" left), then
    ../.venv/bin/django-admin compilemessages      # or: make compilemessages
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

APP_DIR = Path(__file__).resolve().parent.parent / "wagtail_beian"
LC_MESSAGES = APP_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


# ----------------------------------------------------------------------------- .po parsing


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key gettext uses in a .mo: context EOT msgid."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(token: str) -> str:
    body = token.strip()
    assert body.startswith('"') and body.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (header included as msgid ""; obsolete #~ entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, target
        if current is not None and target is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target is not None and current is not None and current.msgstr:
                finish()
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.groups()
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                finish()
            if current is None:
                current = Entry(line=number)
            value = _unquote(token)
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
            continue
        assert line.startswith('"') and current is not None and target is not None, (
            f"{path.name}:{number}: cannot parse {raw!r}"
        )
        value = _unquote(line)
        name, slot = target
        if name == "msgstr":
            current.msgstr[slot] += value
        else:
            setattr(current, name, getattr(current, name) + value)
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run makemessages -l zh_Hans in wagtail_beian/"
    return parse_po(PO_FILE)


@pytest.fixture(scope="module")
def header(po_entries) -> dict[str, str]:
    head = [e for e in po_entries if e.msgid == "" and e.msgctxt is None]
    assert len(head) == 1, "the catalog needs exactly one header entry"
    fields = {}
    for line in head[0].msgstr[0].splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [e for e in po_entries if e.msgid != ""]


# ----------------------------------------------------------------------------- the catalog itself


def test_po_parser_reads_escapes_plurals_contexts_and_skips_obsolete(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\n#| msgid "old"\n'
        'msgid ""\n"Say \\"%(x)s\\" "\n"twice"\nmsgstr "说\\"%(x)s\\"两次"\n\n'
        'msgctxt "state"\nmsgid "Draft"\nmsgstr "信息录入"\n\n'
        'msgid "%(n)s site"\nmsgid_plural "%(n)s sites"\nmsgstr[0] "%(n)s个网站"\n\n'
        '#~ msgid "gone"\n#~ msgstr "已删除"\n',
        encoding="utf-8",
    )
    header, quoted, draft, plural = parse_po(sample)
    assert header.msgstr == {0: "Language: zh_Hans\n"}
    assert (quoted.msgid, quoted.msgstr[0]) == ('Say "%(x)s" twice', '说"%(x)s"两次')
    assert quoted.flags == {"fuzzy", "python-format"}
    assert (draft.key, draft.msgstr[0]) == ("state\x04Draft", "信息录入")
    assert (plural.msgid_plural, plural.msgstr) == ("%(n)s sites", {0: "%(n)s个网站"})


def test_po_header_is_simplified_chinese_utf8_with_one_plural_form(po_entries, header):
    assert header["Language"] == "zh_Hans"
    assert "charset=UTF-8" in header["Content-Type"]
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    head = next(e for e in po_entries if e.msgid == "")
    assert "fuzzy" not in head.flags, "the header is still marked fuzzy"


def test_po_has_messages_and_no_duplicates(messages):
    assert len(messages) > 100
    keys = [e.key for e in messages]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"msgids listed twice: {duplicates}"


def test_every_msgid_has_a_translation_and_none_is_fuzzy(messages):
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    empty = [
        e.msgid for e in messages if not e.msgstr or any(not s.strip() for s in e.msgstr.values())
    ]
    assert not fuzzy, (
        "fuzzy entries (check the translation, then remove '#, fuzzy'):\n" + "\n".join(fuzzy)
    )
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_plural_entries_have_exactly_one_form(messages):
    for entry in messages:
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr) == [0], f"zh has one plural form: {entry.msgid!r}"
        else:
            assert sorted(entry.msgstr) == [0], (
                f"unexpected msgstr[n] on a singular entry: {entry.msgid!r}"
            )


def test_translations_keep_every_placeholder(messages):
    for entry in messages:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            wanted = sorted(set(wanted) | set(PLACEHOLDER.findall(entry.msgid_plural)))
        for translated in entry.msgstr.values():
            got = PLACEHOLDER.findall(translated)
            if entry.msgid_plural is not None:
                assert sorted(set(got)) == wanted, (entry.msgid, translated)
            else:
                assert sorted(got) == wanted, (
                    f"placeholders differ:\n  {entry.msgid}\n  {translated}"
                )


def test_translations_are_chinese_with_full_width_punctuation(messages):
    # A few msgids are codes or names that stay as they are in Chinese too.
    same_in_chinese = {"App"}
    for entry in messages:
        for translated in entry.msgstr.values():
            if entry.msgid in same_in_chinese:
                continue
            words = re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", entry.msgid))
            assert not words or CJK.search(translated), (
                f"no Chinese in the translation of {entry.msgid!r}: {translated!r}"
            )
            # Chinese text takes full-width ，。：；（）, not ASCII , . : ; ( ) next to a Chinese character.
            bad = re.search(r"[\u4e00-\u9fff][,;:!?(]|[,;:!?)][\u4e00-\u9fff]", translated)
            assert not bad, f"half-width punctuation {bad.group()!r} in {translated!r}"
            if entry.msgid.rstrip().endswith(".") and not entry.msgid.rstrip().endswith("..."):
                assert translated.rstrip().endswith("。"), f"a sentence ends in 。: {translated!r}"


# ----------------------------------------------------------------------------- .mo is the compiled .po


def test_mo_file_is_compiled_from_the_current_po(messages, header):
    assert MO_FILE.exists(), "django.mo is missing: run `make compilemessages`"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = dict(compiled._catalog)  # the parsed .mo, keys str or (str, n)
    catalog.pop("", None)

    expected = {}
    for entry in messages:
        if entry.msgid_plural is not None:
            for slot, text in entry.msgstr.items():
                expected[(entry.key, slot)] = text
        else:
            expected[entry.key] = entry.msgstr[0]

    missing = sorted(str(k) for k in expected.keys() - catalog.keys())
    stale = sorted(str(k) for k in catalog.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & catalog.keys() if expected[k] != catalog[k])
    assert not (missing or stale or changed), (
        "django.mo is out of date with django.po; run `make compilemessages` "
        f"(missing {missing[:5]}, stale {stale[:5]}, changed {changed[:5]})"
    )
    assert compiled.info().get("language") == header["Language"]
    assert compiled.ngettext("x", "y", 5) == "y"  # plural=0 formula is readable


# ----------------------------------------------------------------------------- the code is covered

# callee name -> (index of the msgctxt argument or None, index of msgid, index of msgid_plural or None)
GETTEXT_FUNCTIONS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ugettext": (None, 0, None),
    "ugettext_lazy": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Marked:
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    where: str

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _translation_aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to django.utils.translation functions (``_`` always means gettext)."""
    aliases = {"_": "gettext"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for name in node.names:
                if name.name in GETTEXT_FUNCTIONS:
                    aliases[name.asname or name.name] = name.name
    return aliases


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_marked_strings(source: str, where: str) -> tuple[list[Marked], list[str]]:
    """(strings marked for translation, problems such as f-strings inside _())."""
    tree = ast.parse(source)
    aliases = _translation_aliases(tree)
    in_fstring = {
        id(inner)
        for outer in ast.walk(tree)
        if isinstance(outer, ast.JoinedStr)
        for inner in ast.walk(outer)
        if isinstance(inner, ast.Call)
    }
    found, problems = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in aliases:
            real = aliases[func.id]
        elif isinstance(func, ast.Attribute) and func.attr in GETTEXT_FUNCTIONS:
            # translation.gettext(...), django.utils.translation.gettext_lazy(...)
            real = func.attr
        else:
            continue
        ctx_i, id_i, plural_i = GETTEXT_FUNCTIONS[real]
        if len(node.args) <= id_i:
            continue
        msgid_node = node.args[id_i]
        here = f"{where}:{node.lineno}"
        if isinstance(msgid_node, ast.JoinedStr) or (
            isinstance(msgid_node, ast.BinOp) and isinstance(msgid_node.op, ast.Mod)
        ):
            problems.append(
                f"{here}: {real}() of a formatted string cannot be translated; "
                'format after translating: _("... %(x)s ...") % {...}'
            )
            continue
        msgid = _string(msgid_node)
        if msgid is None:  # a variable: translated where it was marked
            continue
        if id(node) in in_fstring:
            # xgettext (makemessages) does not look inside f-strings: never extracted.
            problems.append(
                f"{here}: {real}({msgid!r}) inside an f-string is not extracted by makemessages; "
                f'translate it first: label = {real}({msgid!r}); f"... {{label}}"'
            )
            continue
        plural = (
            _string(node.args[plural_i])
            if plural_i is not None and len(node.args) > plural_i
            else None
        )
        context = _string(node.args[ctx_i]) if ctx_i is not None else None
        found.append(Marked(msgid, plural, context, here))
    return found, problems


_TRANS_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:[^%]*?\scontext\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?[^%]*%}""",
    re.DOTALL,
)
_BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)(?P<args>[^%]*)%}(?P<body>.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.DOTALL,
)
# _("...") as a filter argument or tag argument, e.g. {{ x|default:_("none") }}
_UNDERSCORE = re.compile(r"""(?<![\w.])_\(\s*(?P<q>["'])(?P<msgid>.*?)(?P=q)\s*\)""")
_PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def _block_msgid(text: str, trimmed: bool) -> str:
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    parts = _VARIABLE.split(text)  # literal, name, literal, name, ...
    return "".join(
        part.replace("%", "%%") if i % 2 == 0 else f"%({part})s" for i, part in enumerate(parts)
    )


def template_marked_strings(source: str, where: str) -> list[Marked]:
    found = []
    for match in _TRANS_TAG.finditer(source):
        found.append(Marked(match.group("msgid"), None, match.group("ctx"), where))
    for tag in re.finditer(r"{{.*?}}|{%.*?%}", source, re.DOTALL):
        for match in _UNDERSCORE.finditer(tag.group()):
            found.append(Marked(match.group("msgid"), None, None, where))
    for match in _BLOCK_TAG.finditer(source):
        args = match.group("args")
        trimmed = re.search(r"\btrimmed\b", args) is not None
        ctx = re.search(r"""\bcontext\s+(["'])(.*?)\1""", args)
        parts = _PLURAL_TAG.split(match.group("body"), maxsplit=1)
        singular, plural = parts[0], (parts[1] if len(parts) > 1 else None)
        found.append(
            Marked(
                _block_msgid(singular, trimmed),
                _block_msgid(plural, trimmed) if plural is not None else None,
                ctx.group(2) if ctx else None,
                where,
            )
        )
    return found


def code_marked_strings() -> tuple[list[Marked], list[str]]:
    found, problems = [], []
    for path in sorted(APP_DIR.rglob("*.py")):
        relative = path.relative_to(APP_DIR.parent)
        if "migrations" in path.parts:
            continue
        strings, issues = python_marked_strings(path.read_text(encoding="utf-8"), str(relative))
        found += strings
        problems += issues
    for path in sorted(APP_DIR.rglob("templates/**/*")):
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ".js"}:
            found += template_marked_strings(
                path.read_text(encoding="utf-8"), str(path.relative_to(APP_DIR.parent))
            )
    return found, problems


def test_extractors_find_what_makemessages_finds():
    py = """
from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy as p_
from django.utils import translation
a = _("Plain")
b = _("Joined " "across lines")
c = ngettext("%(n)s site", "%(n)s sites", 2)
d = p_("menu", "Open")
e = translation.gettext("Via module")
f = _(some_variable)
g = _(f"bad {a}")
h = f"{a} · {_('inside')}"
"""
    strings, problems = python_marked_strings(py, "x.py")
    assert [(m.msgid, m.msgid_plural, m.msgctxt) for m in strings] == [
        ("Plain", None, None),
        ("Joined across lines", None, None),
        ("%(n)s site", "%(n)s sites", None),
        ("Open", None, "menu"),
        ("Via module", None, None),
    ]
    assert len(problems) == 2 and "x.py:10" in problems[0] and "x.py:11" in problems[1]

    html = """{% load i18n %}<h1>{% translate "Filing" %}</h1>{% trans 'Draft' context "state" %}
{% blocktranslate trimmed with n=filing.number %}
  Number {{ n }}
  is 100% issued.
{% endblocktranslate %}
{% blocktrans count counter=k %}{{ counter }} site{% plural %}{{ counter }} sites{% endblocktrans %}
<td>{{ user.email|default:_("no e-mail") }}</td>"""
    assert [
        (m.msgid, m.msgid_plural, m.msgctxt) for m in template_marked_strings(html, "t.html")
    ] == [
        ("Filing", None, None),
        ("Draft", None, "state"),
        ("no e-mail", None, None),
        ("Number %(n)s is 100%% issued.", None, None),
        ("%(counter)s site", "%(counter)s sites", None),
    ]


# Files with _() inside f-strings that makemessages cannot see, reported to their authors; the
# strings there stay English until the call is moved out of the f-string. Do not add to this.
KNOWN_UNEXTRACTABLE: set[str] = set()


def test_every_marked_string_in_the_code_is_translated(messages):
    marked, problems = code_marked_strings()
    new_problems = [p for p in problems if p.split(":", 1)[0] not in KNOWN_UNEXTRACTABLE]
    assert not new_problems, "\n".join(new_problems)
    assert len(marked) > 100, "the extractor found suspiciously few strings"
    catalog = {e.key: e for e in messages}
    missing = [m for m in marked if m.key not in catalog]
    assert not missing, (
        "strings marked for translation but not in the zh_Hans catalog (run makemessages, translate, "
        "compilemessages):\n" + "\n".join(f"  {m.where}: {m.msgid!r}" for m in missing)
    )
    untranslated = [
        m
        for m in marked
        if "fuzzy" in catalog[m.key].flags
        or not all(s.strip() for s in catalog[m.key].msgstr.values())
    ]
    assert not untranslated, "\n".join(f"  {m.where}: {m.msgid!r}" for m in untranslated)
    wrong_plural = [
        m
        for m in marked
        if m.msgid_plural is not None and catalog[m.key].msgid_plural != m.msgid_plural
    ]
    assert not wrong_plural, "\n".join(f"  {m.where}: {m.msgid!r}" for m in wrong_plural)


# ----------------------------------------------------------------------------- the UI really speaks Chinese


def test_filing_states_read_as_in_the_filing_systems():
    from wagtail_beian.models import FilingState

    expected = {
        "draft": "信息录入",
        "submitted": "待核实",
        "returned": "核实退回",
        "verified": "已核实（待提交管局）",
        "sms_check": "待短信核验",
        "bureau_review": "管局审核中",
        "bureau_rejected": "管局退回",
        "approved": "已备案",
        "cancelling": "注销中",
        "cancelled": "已注销",
        "withdrawn": "已撤回",
    }
    with translation.override("zh-hans"):
        assert {state.value: str(state.label) for state in FilingState} == expected
        assert str(FilingState.APPROVED.label) == "已备案"
    with translation.override("en"):
        assert str(FilingState.APPROVED.label) == "Approved"


def test_domain_error_is_chinese_and_says_what_to_do():
    from django.core.exceptions import ValidationError

    from wagtail_beian.validators import normalize_domain

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        normalize_domain("www.example.com")
    text = " ".join(caught.value.messages)
    assert CJK.search(text), text
    assert (
        "子域名" in text and "example.com" in text
    )  # what is wrong, and the domain to file instead
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        normalize_domain("www.example.com")
    assert "subdomain" in " ".join(caught.value.messages)


def test_permission_labels_are_chinese():
    from wagtail_beian.permissions import FILING_PERMISSIONS

    with translation.override("zh-hans"):
        labels = {codename: str(label) for codename, label in FILING_PERMISSIONS}
    assert labels, "no permissions"
    for codename, label in labels.items():
        assert CJK.search(label), f"{codename}: {label!r}"
    assert labels["verify_filing"] == "可核实和退回备案（接入商核实）"


def test_preflight_findings_are_all_chinese():
    from wagtail_beian.rules import preflight

    data = preflight.FilingData(
        subject=preflight.SubjectData(),
        websites=(preflight.WebsiteData(name="新闻论坛", domain="www.example.com"),),
    )
    with translation.override("zh-hans"):
        findings = preflight.run_preflight(data)
    assert findings
    for finding in findings:
        assert CJK.search(finding.message), finding
        assert CJK.search(finding.suggestion), finding
        assert not re.search(
            r"[A-Za-z]{4,}", re.sub(r"[\w.-]*example\.com|ICP|http", "", finding.message)
        ), finding


def test_app_name_and_model_names_are_chinese():
    from django.apps import apps

    with translation.override("zh-hans"):
        config = apps.get_app_config("wagtail_beian")
        assert str(config.verbose_name) == "ICP备案"
        from wagtail_beian.models import Filing

        assert str(Filing._meta.verbose_name) == "备案"


def test_catalog_does_not_retranslate_wagtail_or_django_strings():
    """Our app's catalog comes first: a plain msgid that Wagtail or Django also translate would
    change their UI (e.g. a page "Draft" shown as 信息录入). Domain terms use msgctxt "beian"."""
    import glob

    import django
    import wagtail

    with open(MO_FILE, "rb") as handle:
        ours = gettext.GNUTranslations(handle)._catalog
    theirs = {}
    for root in (Path(wagtail.__file__).parent, Path(django.__file__).parent):
        for mo in glob.glob(str(root / "**/locale/zh_Hans/LC_MESSAGES/django.mo"), recursive=True):
            with open(mo, "rb") as handle:
                for key, value in gettext.GNUTranslations(handle)._catalog.items():
                    theirs.setdefault(key, set()).add(value)
    clashes = {k: (v, theirs[k]) for k, v in ours.items() if k and k in theirs and v not in theirs[k]}
    assert not clashes, clashes


# ----------------------------------------------------------------- Wagtail's JavaScript strings

JS_PO_FILE = LC_MESSAGES / "djangojs.po"


def _catalog_msgids(path):
    return {e.msgid: e for e in parse_po(path) if e.msgid}


def test_every_javascript_string_of_wagtail_is_chinese_in_its_catalog_or_ours():
    """Wagtail's zh-Hans JavaScript catalog lacks strings the admin shows (the sidebar's “(2 new
    items in this menu)”); ours fills each gap. A Wagtail upgrade that adds one fails here."""
    import wagtail

    locale = Path(wagtail.__file__).parent / "admin" / "locale"
    source = _catalog_msgids(locale / "en" / "LC_MESSAGES" / "djangojs.po")
    theirs = _catalog_msgids(locale / "zh_Hans" / "LC_MESSAGES" / "djangojs.po")
    ours = _catalog_msgids(JS_PO_FILE)
    translated = {k for k, e in theirs.items() if all(e.msgstr.values())}
    missing = [k for k in source if k not in translated and not (k in ours and all(ours[k].msgstr.values()))]
    assert not missing, missing
    assert set(ours) <= set(source), set(ours) - set(source)  # each msgid is Wagtail's, to the letter
    for msgid, entry in ours.items():
        assert all(text and text != msgid for text in entry.msgstr.values()), msgid
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(next(iter(entry.msgstr.values())))), msgid


def test_the_admin_loads_the_javascript_catalog_after_wagtail_s(admin_client):
    from django.urls import reverse

    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    ours, theirs = reverse("wagtail_beian:admin_js_catalog"), reverse("wagtailadmin_javascript_catalog")
    assert theirs in page and ours in page and page.index(ours) > page.index(theirs)
    catalog = admin_client.get(ours).content.decode("utf-8")
    assert '"(1 new item in this menu)": "\\uff08\\u6b64\\u83dc\\u5355' in catalog  # （此菜单… as JSON escapes


def test_every_string_of_wagtail_s_catalogs_is_chinese_in_theirs_or_ours(messages):
    """Wagtail 8.0's zh-Hans catalogs leave about 400 strings in English (the keyboard shortcuts'
    “Section”, “Can access Wagtail admin” in the group editor, page and image screens …);
    admin/wagtail_strings.py marks each for our catalog. A Wagtail upgrade that adds one fails here."""
    import glob

    import django
    import wagtail

    def translated(path):
        return {(e.msgctxt, e.msgid) for e in parse_po(Path(path))
                if e.msgid and e.msgstr and all(e.msgstr.values()) and "fuzzy" not in e.flags}

    theirs = set()
    for root in (Path(wagtail.__file__).parent, Path(django.__file__).parent):
        for po in glob.glob(str(root / "**/locale/zh_Hans/LC_MESSAGES/django.po"), recursive=True):
            theirs |= translated(po)
    ours = {(e.msgctxt, e.msgid) for e in messages if all(e.msgstr.values())}
    missing = []
    for po in glob.glob(str(Path(wagtail.__file__).parent / "**/locale/en/LC_MESSAGES/django.po"), recursive=True):
        missing += [key for key in {(e.msgctxt, e.msgid) for e in parse_po(Path(po)) if e.msgid} if key not in theirs | ours]
    assert not missing, sorted(missing, key=str)[:40]
