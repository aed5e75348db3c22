"""Reading and checking an indicator list file (YAML or JSON) before anything is stored.

The Government adopts the indicator list (Art. 12.2), so an administrator loads it from a
file without a code change. Every field is checked and every problem reported with the
path to the bad item; one problem rejects the whole file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nrm.screening.rule import ASSESS_MODES, AUDIENCES, EXPLOITATIONS, STRENGTHS

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
LANGUAGES = ("en", "sq", "sr")
SHIPPED = Path(__file__).resolve().parent / "data" / "ilo-eu-2009.yaml"


class ListFileError(ValueError):
    """The file is not a valid indicator list; `problems` are (path, reason) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {path}: {reason}" for path, reason in problems)
        super().__init__(f"{source}: not a valid indicator list, nothing stored:\n{lines}")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    dimension: str
    strength: str
    audience: str
    exploitation: str
    text: dict[str, str]


@dataclass(frozen=True)
class ListSpec:
    code: str
    version: str
    title: str  # in English; `titles` holds it in every language the file gives
    adopted_on: dt.date
    source: str
    dimensions: dict[str, dict[str, str]]
    rule: dict[str, Any]
    indicators: tuple[IndicatorSpec, ...]
    titles: dict[str, str] | None = None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append((path, reason))

    def mapping(self, value: Any, path: str, required: set[str],
                optional: frozenset[str] | set[str] = frozenset()) -> bool:
        if not isinstance(value, dict):
            self.fail(path or "(file)", "must be a mapping")
            return False
        for key in sorted(required - value.keys()):
            self.fail(_join(path, key), "is required")
        for key in sorted(set(value) - required - optional):
            self.fail(_join(path, str(key)), "is not a known field")
        return True

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be non-empty text")
            return ""
        return value.strip()

    def code(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not CODE.match(value):
            self.fail(path, "must be a code of letters, digits, '_', '-' or '.' (at most 40)")
            return ""
        return value

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(path, f"must be one of {', '.join(choices)} (got {value!r})")
            return ""
        return str(value)

    def translations(self, value: Any, path: str) -> dict[str, str]:
        if not self.mapping(value, path, {"en"}, {"sq", "sr"}):
            return {}
        return {lang: self.text(value[lang], _join(path, lang)) for lang in LANGUAGES if lang in value}

    def date(self, value: Any, path: str) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, "must be a date as YYYY-MM-DD")
        return dt.date.min


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _rule(c: _Checker, data: Any, dimensions: set[str]) -> dict[str, Any]:
    path = "rule"
    if not c.mapping(data, path, {"combinations", "elements"}, {"assess"}):
        return {}
    assess = c.choice(data.get("assess", "dimension"), _join(path, "assess"), ASSESS_MODES)
    combinations = []
    if not isinstance(data["combinations"], list) or not data["combinations"]:
        c.fail(_join(path, "combinations"), "must be a non-empty list")
    else:
        for i, combination in enumerate(data["combinations"]):
            where = _join(_join(path, "combinations"), i)
            if not c.mapping(combination, where, set(), set(STRENGTHS)):
                continue
            if not combination:
                c.fail(where, "must name at least one strength")
            for strength, n in combination.items():
                if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                    c.fail(_join(where, strength), "must be a whole number of at least 1")
            combinations.append(dict(combination))
    elements, seen = [], set()
    if not isinstance(data["elements"], list) or not data["elements"]:
        c.fail(_join(path, "elements"), "must be a non-empty list")
        return {}
    for i, element in enumerate(data["elements"]):
        where = _join(_join(path, "elements"), i)
        if not c.mapping(element, where, {"code", "dimensions", "required_for"}):
            continue
        code = c.code(element["code"], _join(where, "code"))
        if code in seen:
            c.fail(_join(where, "code"), f"element {code!r} appears twice")
        seen.add(code)
        dims = element["dimensions"]
        if not isinstance(dims, list) or not dims:
            c.fail(_join(where, "dimensions"), "must be a non-empty list of dimension codes")
            dims = []
        for j, d in enumerate(dims):
            if d not in dimensions:
                c.fail(_join(_join(where, "dimensions"), j), f"unknown dimension {d!r}")
        required = element["required_for"]
        if not isinstance(required, list):
            c.fail(_join(where, "required_for"), "must be a list of audiences")
            required = []
        for j, a in enumerate(required):
            c.choice(a, _join(_join(where, "required_for"), j), AUDIENCES)
        elements.append({"code": code, "dimensions": list(dims), "required_for": list(required)})
    return {"assess": assess, "combinations": combinations, "elements": elements}


def _indicators(c: _Checker, data: Any, dimensions: set[str]) -> list[IndicatorSpec]:
    if not isinstance(data, list) or not data:
        c.fail("lists", "must be a non-empty list")
        return []
    found: list[IndicatorSpec] = []
    codes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for i, group in enumerate(data):
        where = _join("lists", i)
        if not c.mapping(group, where, {"audience", "exploitation", "indicators"}):
            continue
        audience = c.choice(group["audience"], _join(where, "audience"), AUDIENCES)
        exploitation = c.choice(group["exploitation"], _join(where, "exploitation"), EXPLOITATIONS)
        if (audience, exploitation) in pairs:
            c.fail(where, f"a second list for {audience}/{exploitation}")
        pairs.add((audience, exploitation))
        items = group["indicators"]
        if not isinstance(items, list) or not items:
            c.fail(_join(where, "indicators"), "must be a non-empty list")
            continue
        for j, item in enumerate(items):
            at = _join(_join(where, "indicators"), j)
            if not c.mapping(item, at, {"code", "dimension", "strength", "en"}, {"sq", "sr"}):
                continue
            code = c.code(item["code"], _join(at, "code"))
            if code and code in codes:
                c.fail(_join(at, "code"), f"indicator code {code!r} appears twice")
            codes.add(code)
            if item["dimension"] not in dimensions:
                c.fail(_join(at, "dimension"), f"unknown dimension {item['dimension']!r}")
            strength = c.choice(item["strength"], _join(at, "strength"), STRENGTHS)
            text = {lang: c.text(item[lang], _join(at, lang)) for lang in LANGUAGES if lang in item}
            found.append(IndicatorSpec(code, str(item["dimension"]), strength, audience,
                                       exploitation, text))
    return found


def validate(data: Any, source: str = "list") -> ListSpec:
    """A checked ListSpec, or ListFileError naming every bad item."""
    c = _Checker()
    top = {"code", "version", "title", "adopted_on", "source", "dimensions", "rule", "lists"}
    if not c.mapping(data, "", top):
        raise ListFileError(source, c.problems)
    dimensions: dict[str, dict[str, str]] = {}
    if not isinstance(data["dimensions"], list) or not data["dimensions"]:
        c.fail("dimensions", "must be a non-empty list")
    else:
        for i, dim in enumerate(data["dimensions"]):
            where = _join("dimensions", i)
            if c.mapping(dim, where, {"code", "title"}):
                code = c.code(dim["code"], _join(where, "code"))
                if code in dimensions:
                    c.fail(_join(where, "code"), f"dimension {code!r} appears twice")
                dimensions[code] = c.translations(dim["title"], _join(where, "title"))
    # The title is text in English, or {en, sq, sr}: a list file may carry its translations.
    titles = (c.translations(data["title"], "title") if isinstance(data["title"], dict)
              else {"en": c.text(data["title"], "title")})
    spec = ListSpec(
        code=c.code(data["code"], "code"),
        version=c.text(data["version"], "version"),
        title=titles.get("en", ""),
        titles=titles,
        adopted_on=c.date(data["adopted_on"], "adopted_on"),
        source=c.text(data["source"], "source"),
        dimensions=dimensions,
        rule=_rule(c, data["rule"], set(dimensions)),
        indicators=tuple(_indicators(c, data["lists"], set(dimensions))),
    )
    if c.problems:
        raise ListFileError(source, c.problems)
    return spec


def read(path: Path | str) -> ListSpec:
    """Parse a .yaml/.yml/.json file and validate it."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as error:
        raise ListFileError(str(path), [("(file)", f"cannot be read: {error}")]) from error
    return validate(data, source=str(path))
