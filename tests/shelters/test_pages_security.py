"""Police security for shelters on the pages (23.5): the shelter's staff ask, the police
asked answer and close, and the address is shown to the police only while the request is
open; everyone else is refused, and a POST never shows more than a GET would."""

from __future__ import annotations

import pytest

from nrm.authorities.roles import Role
from nrm.shelters.models import SecurityRequest, SecurityRequestStatus
from tests.factories import InstitutionFactory, official
from tests.shelters.test_pages import page

pytestmark = pytest.mark.django_db

ADDRESS = "Hidden road 9"
POLICE_PAGE = "/shelters/security/"


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.NRM_DEMO = True


def shelter_url(world) -> str:
    return f"/shelters/{world.shelter.pk}/"


def ask(client, world, **data):
    return client.post(shelter_url(world), {"action": "security", "security-police": world.police.code,
                                            "security-reason": "A trafficker was seen outside",
                                            **data}, follow=True)


def test_the_shelter_asks_the_police_and_sees_its_request(world) -> None:
    answer = ask(page(world.manager), world)
    text = answer.content.decode()
    assert answer.redirect_chain and "The police were asked for assistance." in text
    assert "A trafficker was seen outside" in text
    request = SecurityRequest.objects.get()
    assert request.police == world.police and request.status == SecurityRequestStatus.OPEN


def test_a_request_without_a_reason_is_refused_beside_its_field_with_the_police_kept(world) -> None:
    answer = page(world.manager).post(shelter_url(world), {
        "action": "security", "security-police": world.police.code, "security-reason": "  "})
    assert answer.status_code == 400
    form = answer.context["security_form"]
    assert "reason" in form.errors
    assert f'<option value="{world.police.code}" selected>' in answer.content.decode()
    assert not SecurityRequest.objects.exists()


def test_a_request_to_an_institution_that_is_not_police_is_refused(world) -> None:
    answer = page(world.manager).post(shelter_url(world), {
        "action": "security", "security-police": world.ngo.code, "security-reason": "Help"})
    assert answer.status_code == 400 and "police" in answer.context["security_form"].errors
    assert not SecurityRequest.objects.exists()


def test_other_roles_and_shelters_may_not_ask(world) -> None:
    for user in (world.other_manager, world.worker, world.coordinator, world.outsider):
        answer = ask(page(user), world)
        assert answer.status_code == 404
    assert not SecurityRequest.objects.exists()


def test_the_police_see_the_address_only_while_the_request_is_open(world) -> None:
    police = page(world.worker)
    before = police.get(POLICE_PAGE)
    assert before.status_code == 200 and ADDRESS not in before.content.decode()
    ask(page(world.manager), world)
    request = SecurityRequest.objects.get()
    opened = police.get(POLICE_PAGE).content.decode()
    assert ADDRESS in opened and "A trafficker was seen outside" in opened
    answered = police.post(POLICE_PAGE, {"action": "respond", "request": request.pk,
                                         f"respond-{request.pk}-response": "A patrol tonight"},
                           follow=True).content.decode()
    assert "Your response is recorded." in answered and "A patrol tonight" in answered
    assert ADDRESS in answered  # answered is still open
    closed = police.post(POLICE_PAGE, {"action": "close", "request": request.pk}, follow=True)
    text = closed.content.decode()
    assert "The security request is closed." in text and ADDRESS not in text
    assert ADDRESS not in police.get(POLICE_PAGE).content.decode()
    assert SecurityRequest.objects.get().status == SecurityRequestStatus.CLOSED


def test_the_shelter_closes_its_request_and_the_police_lose_the_address(world) -> None:
    manager = page(world.manager)
    ask(manager, world)
    request = SecurityRequest.objects.get()
    assert ADDRESS in page(world.worker).get(POLICE_PAGE).content.decode()
    answer = manager.post(shelter_url(world), {"action": "security-close", "request": request.pk},
                          follow=True)
    assert "The security request is closed." in answer.content.decode()
    assert ADDRESS not in page(world.worker).get(POLICE_PAGE).content.decode()


def test_a_refused_response_keeps_its_field_and_shows_no_more_than_a_get(world) -> None:
    ask(page(world.manager), world)
    request = SecurityRequest.objects.get()
    police = page(world.worker)
    police.post(POLICE_PAGE, {"action": "close", "request": request.pk})
    # Closed: the page has no form for it, and a forged POST shows no address.
    answer = police.post(POLICE_PAGE, {"action": "respond", "request": request.pk,
                                       f"respond-{request.pk}-response": "Late answer"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert ADDRESS not in text and "Late answer" not in text
    empty = page(world.manager)
    ask(empty, world)
    second = SecurityRequest.objects.exclude(pk=request.pk).get()
    bad = police.post(POLICE_PAGE, {"action": "respond", "request": second.pk,
                                    f"respond-{second.pk}-response": ""})
    assert bad.status_code == 400 and "response" in bad.context["rows"][0]["form"].errors


def test_other_police_and_other_roles_never_see_or_touch_a_request(world) -> None:
    ask(page(world.manager), world)
    request = SecurityRequest.objects.get()
    stranger = official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="other-police"),
                        username="other-police")
    text = page(stranger).get(POLICE_PAGE).content.decode()
    assert ADDRESS not in text and "A trafficker" not in text and world.shelter.name not in text
    for verb in ({"action": "respond", f"respond-{request.pk}-response": "x"}, {"action": "close"}):
        assert page(stranger).post(POLICE_PAGE, {"request": request.pk, **verb}).status_code == 404
    for user in (world.manager, world.coordinator, world.outsider):
        assert page(user).get(POLICE_PAGE).status_code == 403
        assert page(user).post(POLICE_PAGE, {"action": "close", "request": request.pk}).status_code == 403
    # Another shelter's staff cannot close it through their own shelter's page either.
    assert page(world.other_manager).post(shelter_url(world), {
        "action": "security-close", "request": request.pk}).status_code == 404
    assert SecurityRequest.objects.get().status == SecurityRequestStatus.OPEN


def test_the_nav_links_the_police_page_only_for_the_police(world) -> None:
    assert 'href="/shelters/security/"' in page(world.worker).get("/").content.decode()
    for user in (world.manager, world.coordinator, world.outsider):
        assert 'href="/shelters/security/"' not in page(user).get("/").content.decode()
