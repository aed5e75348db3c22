"""The interface in Albanian and Serbian (Latin script): every message translated, the
compiled catalogues shipped and in step with their sources, and the pages in each language.

The .po files are read here with a small reader of our own (no polib); the .mo files with
the standard library's gettext, as Django reads them.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import to_locale

from nrm.law.codes import LABELS

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# Every language of the interface but the source language, English.
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLURALS = {"sq": 2, "sr-latn": 3}
# Words the pages must show, and the tests of other teams may look for.
REQUIRED = {
    "sq": {"Sign in": "Hyr", "Sign out": "Dil"},
    "sr-latn": {"Sign in": "Prijava", "Sign out": "Odjava"},
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


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
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v"}


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise AssertionError(f"{path}:{number}: not a quoted string: {text!r}")
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field a continuation line extends

    def finish() -> None:
        nonlocal current, target
        if current is not None and current.msgstr:
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
            if current is not None and current.msgstr:
                finish()
            current = current or Entry()
            if line.startswith("#,"):
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise AssertionError(f"{path}:{number}: a string with no keyword before it")
            name, index = target
        else:
            keyword, _, line = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                finish()
            current = current or Entry()
            current.line = current.line or number
            if keyword.startswith("msgstr[") and keyword.endswith("]"):
                name, index = "msgstr", int(keyword[7:-1])
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                name, index = keyword, 0
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
            target = (name, index)
        value = _unquote(line, path, number)
        if name == "msgid":
            current.msgid += value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        else:
            current.msgstr[index] = current.msgstr.get(index, "") + value
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = entries[0]
    assert header.msgid == "", "the header must come first"
    lines = header.msgstr[0].splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines if ":" in line)}


def po_path(language: str) -> Path:
    return LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"


def messages(language: str) -> list[Entry]:
    return read_po(po_path(language))[1:]


def expected_catalog(entries: list[Entry]) -> dict[object, str]:
    """What gettext.GNUTranslations should hold for these .po entries (header aside)."""
    catalog: dict[object, str] = {}
    for e in entries:
        if "fuzzy" in e.flags or not any(e.msgstr.values()):
            continue  # msgfmt leaves fuzzy and untranslated messages out
        if e.msgid_plural is None:
            catalog[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                catalog[(e.key, index)] = text
    return catalog


def load_mo(path: Path) -> dict[object, str]:
    with path.open("rb") as fp:
        catalog = dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    return catalog


# --- The reader itself -------------------------------------------------------------------

def test_the_reader_reads_plurals_contexts_flags_escapes_and_continuations(tmp_path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: sq\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "One %(n)s"\nmsgid_plural "Many %(n)s"\n'
        'msgstr[0] "Një %(n)s"\nmsgstr[1] ""\n"Shumë %(n)s"\n\n'
        '#, fuzzy\nmsgctxt "month"\nmsgid "May"\nmsgstr "Maj"\n\n'
        'msgid ""\n"Say \\"hi\\"\\n"\nmsgstr "Thuaj \\"tung\\"\\n"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Ikur"\n',
        encoding="utf-8",
    )
    header, plural, month, quoted = read_po(po)
    assert header_fields([header, plural]) == {"Language": "sq"}
    assert (plural.msgid, plural.msgid_plural) == ("One %(n)s", "Many %(n)s")
    assert plural.msgstr == {0: "Një %(n)s", 1: "Shumë %(n)s"}
    assert plural.flags == {"python-format"}
    assert (month.msgctxt, month.msgid, month.msgstr[0], month.flags) == ("month", "May", "Maj", {"fuzzy"})
    assert (quoted.msgid, quoted.msgstr[0]) == ('Say "hi"\n', 'Thuaj "tung"\n')


# --- The catalogues ----------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_catalogue_with_a_proper_header(language: str) -> None:
    entries = read_po(po_path(language))
    assert "fuzzy" not in entries[0].flags, "the header is still marked fuzzy"
    fields = header_fields(entries)
    assert fields["Project-Id-Version"] == "NRM"
    assert fields["Language"] == to_locale(language)
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"].startswith(f"nplurals={PLURALS[language]};")
    if language == "sr-latn":
        assert fields["Plural-Forms"] == (
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<10 || n%100>=20) ? 1 : 2);")
    assert len(entries) > 300, "the catalogue looks empty: was makemessages run?"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    problems = []
    for e in messages(language):
        where = f"{po_path(language).name}:{e.line} {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{where}: fuzzy")
        forms = PLURALS[language] if e.msgid_plural is not None else 1
        if sorted(e.msgstr) != list(range(forms)):
            problems.append(f"{where}: {len(e.msgstr)} forms, {forms} expected")
        if any(not text.strip() for text in e.msgstr.values()):
            problems.append(f"{where}: not translated")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag_of_the_msgid(language: str) -> None:
    problems = []
    for e in messages(language):
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            # A singular form may drop the number ("one right"), never add or rename one.
            wanted, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(text))
            if wanted != got:
                problems.append(f"{e.msgid!r} [{index}]: {wanted} != {got} in {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_required_words(language: str) -> None:
    found = {e.msgid: e.msgstr[0] for e in messages(language)}
    for msgid, text in REQUIRED[language].items():
        assert found[msgid] == text
        with translation.override(language):
            assert translation.gettext(msgid) == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_law_labels_shown_on_case_pages_are_translated(language: str) -> None:
    """nrm.cases.views.label() translates nrm.law.codes.LABELS at run time (they reach
    makemessages through nrm.cases.law_labels, since law/ is ignored)."""
    translated = {e.msgid for e in messages(language) if e.msgstr.get(0)}
    missing = sorted(set(LABELS.values()) - translated)
    assert not missing, f"law labels with no translation: {missing}"
    from nrm.cases.views import label

    with translation.override(language):
        assert all(label(code) != text for code, text in LABELS.items())


# --- The compiled catalogues -------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_mo_holds_exactly_what_the_po_says(language: str) -> None:
    mo = po_path(language).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages and commit it"
    shipped, expected = load_mo(mo), expected_catalog(messages(language))
    stale = sorted(str(k) for k in expected.keys() - shipped.keys())
    extra = sorted(str(k) for k in shipped.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & shipped.keys() if expected[k] != shipped[k])
    assert not (stale or extra or changed), (
        f"{mo.name} is out of step with django.po: run compilemessages.\n"
        f"missing: {stale}\nextra: {extra}\nchanged: {changed}")


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_po_and_compiles_it_to_the_shipped_catalogue(language: str, tmp_path) -> None:
    out = tmp_path / "django.mo"
    result = subprocess.run([str(MSGFMT), "--check", "-o", str(out), str(po_path(language))],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert load_mo(out) == load_mo(po_path(language).with_suffix(".mo"))


# --- The pages ---------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [
    ("sq", ["Hyr", "Emri i përdoruesit", "Fjalëkalimi"]),
    ("sr-latn", ["Prijava", "Korisničko ime", "Lozinka"]),
])
def test_the_sign_in_page_speaks_the_chosen_language(language: str, words: list[str]) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/account/login/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
    assert ">Sign in<" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_browser_language_alone_is_enough(language: str) -> None:
    response = Client().get("/account/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert REQUIRED[language]["Sign in"] in response.content.decode()


@pytest.mark.django_db
def test_english_stays_the_default() -> None:
    page = Client().get("/account/login/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [
    ("sq", ["Dil", "Detyrat e mia", "Rastet", "Regjistro një rast", "Mirë se vini"]),
    ("sr-latn", ["Odjava", "Moje dužnosti", "Slučajevi", "Registruj slučaj", "Dobro došli"]),
])
def test_a_signed_in_official_sees_the_shell_in_the_chosen_language(
        language: str, words: list[str], settings) -> None:
    from nrm.authorities.roles import Role
    from tests.factories import official

    settings.NRM_DEMO = True  # demo officials skip the second factor
    user = official(Role.POLICE_INVESTIGATOR, is_demo=True)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post("/account/login/", {"username": user.username, "password": "correct horse battery"})
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for word in words:
        assert word in page
