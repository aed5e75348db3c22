"""The annual report: a PDF in three languages, the same content as a page."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from nrm.authorities.roles import Role
from nrm.statistics.models import Release
from tests.factories import official
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(police_institution):
    cases(police_institution, 12, sex="female", year=2025, exploitation=["sexual"])
    cases(police_institution, 9, sex="male", year=2026, exploitation=["forced_labour"])
    cases(police_institution, 6, sex="male", year=2026, citizenship="AL")
    cases(police_institution, 1, sex="female", year=2025, citizenship="MK")  # always hidden


@pytest.mark.parametrize("lang", ["en", "sq", "sr"])
def test_the_annual_report_is_a_pdf_in_each_language(registered, coordinator, as_user,
                                                     tmp_path, lang):
    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", "annual", "--year", "2026", "--lang", lang,
                 "--user", as_user(coordinator), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert Release.objects.get().channel == "annual report pdf"


def test_a_page_of_the_report_renders_to_a_png_that_is_not_blank(
        registered, coordinator, as_user, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    out = tmp_path / "report.pdf"
    call_command("report", "annual", "--year", "2026", "--user", as_user(coordinator),
                 "--out", str(out))
    subprocess.run([pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    dark = sum(1 for pixel in image.get_flattened_data() if pixel < 128)
    assert dark > 500, "the first page has almost no ink"


def test_the_report_page_shows_the_same_figures(registered, settings):
    settings.NRM_DEMO = True
    client = Client()
    client.force_login(official(Role.NATIONAL_COORDINATOR, is_demo=True))
    html = client.get(reverse("statistics:annual_report", args=[2026])).content.decode()
    assert "2026" in html and "<svg" in html
    assert "<td>15</td>" in html  # 9 + 6 registered in 2026
    assert ">MK</text>" in html and ">1</text>" not in html


def test_the_report_is_refused_to_a_police_investigator(police, as_user, tmp_path, settings):
    with pytest.raises(CommandError, match="National Coordinator"):
        call_command("report", "annual", "--year", "2026", "--user", as_user(police),
                     "--out", str(tmp_path / "r.pdf"))
    settings.NRM_DEMO = True
    client = Client()
    client.force_login(official(Role.POLICE_INVESTIGATOR, is_demo=True))
    assert client.get(reverse("statistics:annual_report", args=[2026])).status_code == 403
