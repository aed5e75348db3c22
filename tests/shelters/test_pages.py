"""The shelter manager's page: admit, extend and discharge, refusals next to their field with
the input kept, and what the manager sees after each action; the Coordinator's counts."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.shelters.models import Placement
from tests.shelters.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.NRM_DEMO = True  # demo users pass the second factor in demo mode only


def page(user) -> Client:
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    client = Client()
    client.force_login(user)
    return client


def url(world) -> str:
    return f"/shelters/{world.shelter.pk}/"


def admit(client, world, **data):
    return client.post(url(world), {"action": "admit", "admit-case_id": world.adult.pk,
                                    "admit-unit_id": world.adults.pk,
                                    "admit-admitted_on": TODAY.isoformat(), "admit-days": 60, **data},
                       follow=True)


def test_the_manager_admits_extends_and_discharges_and_sees_the_board_change(world) -> None:
    client = page(world.manager)
    before = client.get(url(world)).content.decode()
    assert 'data-board="occupied">0<' in before and "Hidden road 9" in before
    after = admit(client, world).content.decode()
    assert 'data-board="occupied">1<' in after and 'data-board="arrivals">1<' in after
    assert world.adult.reference in after and "2026-08-13" in after
    assert "(Art. 23.6)" in after  # the engine's reason beside the lawful end
    stay = Placement.objects.get(case=world.adult)
    extended = client.post(url(world), {"action": "extend", "stay": stay.pk,
                                        f"extend-{stay.pk}-version": 1,
                                        f"extend-{stay.pk}-basis": "victim_request",
                                        f"extend-{stay.pk}-days": 30,
                                        f"extend-{stay.pk}-document": "REQ-1"}, follow=True)
    text = extended.content.decode()
    assert "2026-09-12" in text and "23.7.3" in text
    gone = client.post(url(world), {"action": "discharge", "stay": stay.pk,
                                    f"discharge-{stay.pk}-version": 2,
                                    f"discharge-{stay.pk}-left_on": TODAY.isoformat(),
                                    f"discharge-{stay.pk}-destination": "family"}, follow=True)
    text = gone.content.decode()
    assert 'data-board="occupied">0<' in text and 'data-board="departures">1<' in text


def test_a_refused_admission_is_shown_next_to_its_field_with_the_input_kept(world) -> None:
    client = page(world.manager)
    answer = client.post(url(world), {"action": "admit", "admit-case_id": world.child.pk,
                                      "admit-unit_id": world.adults.pk,
                                      "admit-admitted_on": TODAY.isoformat(), "admit-days": 45})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "38.7" in text and 'value="45"' in text
    form = answer.context["admission_form"]
    assert "unit_id" in form.errors
    early = client.post(url(world), {"action": "admit", "admit-case_id": world.adult.pk,
                                     "admit-unit_id": world.adults.pk,
                                     "admit-admitted_on": "2026-05-01", "admit-days": 60})
    assert "admitted_on" in early.context["admission_form"].errors
    assert not Placement.objects.exists()


def test_others_are_refused_the_page(world) -> None:
    for user in (world.other_manager, world.coordinator, world.worker):
        assert page(user).get(url(world)).status_code == 404
        assert page(user).post(url(world), {"action": "admit"}).status_code == 404


def test_the_coordinator_sees_national_counts_and_no_name_or_address(world) -> None:
    admit(page(world.manager), world)
    answer = page(world.coordinator).get("/shelters/board/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'data-board="occupied">1<' in text
    for hidden in ("Hidden road 9", "House North", world.adult.reference):
        assert hidden not in text
    assert page(world.manager).get("/shelters/board/").status_code == 403


def test_the_nav_links_the_page_only_for_roles_that_use_it(world) -> None:
    assert 'href="/shelters/"' in page(world.manager).get(url(world)).content.decode()
    home = page(world.worker).get("/").content.decode()
    assert 'href="/shelters/"' not in home and 'href="/shelters/board/"' not in home
    assert 'href="/shelters/board/"' in page(world.coordinator).get("/shelters/board/").content.decode()


@pytest.mark.parametrize(("basis", "shown"), [
    ("doctor", ["2026-10-12", "23.7.1"]),  # 60 more days, within 182 from admission
    ("victim_request", ["2026-09-12", "23.7.3"]),  # 30 more days beyond the base end
    ("proceedings", ["Lawful end: none fixed yet", "23.7.2"]),  # no end while they run
])
def test_each_extension_basis_shows_the_engines_end_and_reason_on_the_page(
        world, proceedings_are, basis, shown) -> None:
    proceedings_are(world.adult, status="investigation")
    client = page(world.manager)
    admit(client, world)
    stay = Placement.objects.get(case=world.adult)
    answer = client.post(url(world), {"action": "extend", "stay": stay.pk,
                                      f"extend-{stay.pk}-version": 1,
                                      f"extend-{stay.pk}-basis": basis,
                                      f"extend-{stay.pk}-days": 60 if basis == "doctor" else 30,
                                      f"extend-{stay.pk}-document": "DOC-9"}, follow=True)
    text = answer.content.decode()
    assert "Extended." in text
    for words in shown:
        assert words in text, words


def test_a_refused_extension_stays_beside_its_field_with_the_input_kept(world) -> None:
    client = page(world.manager)
    admit(client, world)
    stay = Placement.objects.get(case=world.adult)
    answer = client.post(url(world), {"action": "extend", "stay": stay.pk,
                                      f"extend-{stay.pk}-version": 1,
                                      f"extend-{stay.pk}-basis": "doctor",
                                      f"extend-{stay.pk}-days": 0,
                                      f"extend-{stay.pk}-document": "DOC-KEEP"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'value="DOC-KEEP"' in text and "at least one day" in text
    assert not stay.extensions.exists()
