"""Cases out in the CTDC's victim layout, k-anonymous on the quasi-identifiers.

The equivalence classes (records sharing every quasi-identifier) are counted in the
database; a class smaller than k has its least telling identifiers generalised to blank, in
the order below, until it joins one of k or more; a class still smaller than k when all are
blank is left out. Each class is then written as that many identical rows: no row carries
anything that k-1 other rows of the file do not carry too.

Kosovo is XK in NRM; the CTDC codes it under Serbia (RS). By default the export writes XK
as RS so that the file joins the CTDC's, and says so; `--keep-xk` keeps XK.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Value, When

from nrm.statistics import dimensions
from nrm.statistics.disclosure import DEFAULT_K
from nrm.statistics.selectors import population, statistics_allowed

COLUMNS = ("gender", "ageBroad", "majorityStatus", "citizenship", "CountryOfExploitation",
           "meansOfControlConcatenated", "isForcedLabour", "isSexualExploit", "isOtherExploit",
           "typeOfExploitConcatenated", "typeOfLabourConcatenated", "typeOfSexConcatenated",
           "RecruiterRelationship", "yearOfRegistration", "Datasource")
# Generalised first to last: where the person is from and was exploited say most about who
# they are in a small country, the year and the form of exploitation least.
GENERALISE = ("CountryOfExploitation", "citizenship", "majorityStatus", "gender",
              "typeOfExploit", "yearOfRegistration")
QUASI = ("gender", "majorityStatus", "citizenship", "CountryOfExploitation",
         "typeOfExploit", "yearOfRegistration")
DATASOURCE = "Case Management"
KOSOVO_NOTE = "citizenship and CountryOfExploitation XK (Kosovo) written as RS, as the CTDC codes it"


@dataclass
class Export:
    content: bytes
    k_achieved: int | None
    records: int
    left_out: int
    generalised: int
    mapping: str


def _classes(source_qs: Any) -> Counter[tuple[str, ...]]:
    dims = ("gender", "majorityStatus", "citizenship", "typeOfExploit", "yearOfRegistration")
    qs = dimensions.annotate(source_qs, source="cases", dims=dims, most=len(dims))
    qs = qs.annotate(d_CountryOfExploitation=SqlCase(
        When(facts__located="kosovo", then=Value("XK")), default=Value(""),
        output_field=CharField()))
    names = [f"d_{d}" for d in QUASI]
    found: Counter[tuple[str, ...]] = Counter()
    for row in qs.order_by().values(*names).annotate(n=Count("pk")):
        found[tuple("" if row[n] == dimensions.UNKNOWN else str(row[n]) for n in names)] += row["n"]
    return found


def anonymise(classes: Counter[tuple[str, ...]], k: int) -> tuple[Counter[tuple[str, ...]], int, int]:
    """Generalise small classes step by step; leave out what stays below k."""
    current = Counter(classes)
    generalised = 0
    for name in GENERALISE:
        i = QUASI.index(name)
        small = [key for key, n in current.items() if n < k]
        if not small:
            break
        for key in small:
            n = current.pop(key)
            wider = (*key[:i], "", *key[i + 1:])
            current[wider] += n
            generalised += n if wider != key else 0
    left_out = 0
    for key in [key for key, n in current.items() if n < k]:
        left_out += current.pop(key)
    return current, generalised, left_out


def _flags(exploit: str) -> tuple[str, str, str]:
    if exploit in ("", "multiple"):
        return ("", "", "")
    return ("1" if exploit == "forced_labour" else "0", "1" if exploit == "sexual" else "0",
            "0" if exploit in ("forced_labour", "sexual") else "1")


def ctdc_export(*, user: Any, k: int = DEFAULT_K, keep_xk: bool = False) -> Export:
    statistics_allowed(user)
    classes, generalised, left_out = anonymise(_classes(population(source="cases")), k)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    records = 0
    for key in sorted(classes):
        values = dict(zip(QUASI, key, strict=True))
        if not keep_xk:
            for name in ("citizenship", "CountryOfExploitation"):
                values[name] = "RS" if values[name] == "XK" else values[name]
        forced, sexual, other = _flags(values["typeOfExploit"])
        row = {"gender": values["gender"], "ageBroad": "", "majorityStatus": values["majorityStatus"],
               "citizenship": values["citizenship"],
               "CountryOfExploitation": values["CountryOfExploitation"],
               "isForcedLabour": forced, "isSexualExploit": sexual, "isOtherExploit": other,
               "typeOfExploitConcatenated": values["typeOfExploit"],
               "yearOfRegistration": values["yearOfRegistration"], "Datasource": DATASOURCE}
        line = [row.get(c, "") for c in COLUMNS]
        for _ in range(classes[key]):
            writer.writerow(line)
        records += classes[key]
    return Export(content=out.getvalue().encode("utf-8"),
                  k_achieved=min(classes.values()) if classes else None, records=records,
                  left_out=left_out, generalised=generalised,
                  mapping="XK kept as XK" if keep_xk else KOSOVO_NOTE)
