from __future__ import annotations

import base64
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from nrm.authorities.roles import Role
from nrm.cases.models import Case, Person
from nrm.crypto.keyring import FieldDecryptionError, keyring, parse
from nrm.crypto.rotation import stale_counts
from tests.factories import official, registered_case

NEW_KEY = "t3:" + base64.urlsafe_b64encode(b"3" * 32).decode()


def every_stored_value() -> str:
    """Every row of every table, as the database holds it: what a dump would show."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            text.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(text)


@pytest.mark.django_db
def test_identifiers_are_stored_encrypted_and_read_back_in_clear() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor, given_name="Zyrafete", family_name="Qendrimaj",
                           birth_date=date(1991, 4, 5), testimony="He took my passport at Durres")
    dump = every_stored_value()
    for secret in ("Zyrafete", "Qendrimaj", "1991-04-05", "passport", "Durres"):
        assert secret not in dump
    person = Person.objects.get(pk=case.person_id)
    assert (person.given_name, person.family_name, person.birth_date) == (
        "Zyrafete", "Qendrimaj", date(1991, 4, 5))
    assert Case.objects.get(pk=case.pk).testimony == "He took my passport at Durres"


@pytest.mark.django_db
def test_an_encrypted_column_cannot_be_searched_by_value() -> None:
    with pytest.raises(Exception, match="given_name"):
        list(Person.objects.filter(given_name="x"))


@pytest.mark.django_db
def test_a_value_moved_to_another_column_does_not_decrypt() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor, given_name="Arben")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET family_name = given_name WHERE id = %s",
                       [case.person_id])
    with pytest.raises(FieldDecryptionError, match="cases.person.family_name"):
        Person.objects.get(pk=case.person_id)


@pytest.mark.django_db
def test_a_corrupt_value_is_an_error_naming_the_field_never_plaintext() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET given_name = 'plain name' WHERE id = %s",
                       [case.person_id])
    with pytest.raises(FieldDecryptionError, match="cases.person.given_name.*not an NRM ciphertext"):
        Person.objects.get(pk=case.person_id)


@pytest.mark.django_db
def test_a_wrong_key_is_an_error_naming_the_setting(settings) -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor)
    primary = settings.NRM_FIELD_KEYS.split(",")[0].split(":")[0]
    wrong = f"{primary}:" + base64.urlsafe_b64encode(b"w" * 32).decode()
    with override_settings(NRM_FIELD_KEYS=wrong):
        with pytest.raises(FieldDecryptionError, match="NRM_FIELD_KEYS"):
            Person.objects.get(pk=case.person_id)


@pytest.mark.django_db
def test_a_value_sealed_by_a_key_no_longer_listed_names_that_key() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor)
    with override_settings(NRM_FIELD_KEYS=NEW_KEY):
        with pytest.raises(FieldDecryptionError, match="does not list"):
            Person.objects.get(pk=case.person_id)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "entry 1 must be ID:KEY"),
        ("k1", "entry 1 must be ID:KEY"),
        ("k1:not-base64!!", "not URL-safe base64|must be 32 bytes"),
        ("k1:" + base64.urlsafe_b64encode(b"short").decode(), "must be 32 bytes"),
        (NEW_KEY + "," + NEW_KEY, "appears twice"),
    ],
)
def test_malformed_keys_are_refused_naming_the_setting(value: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="NRM_FIELD_KEYS") as error:
        parse(value)
    assert error.match(message)


@pytest.mark.django_db
def test_rotation_reseals_every_value_under_the_new_primary_key(settings, capsys) -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    cases = [registered_case(actor, given_name=f"Name{i}", testimony=f"story {i}") for i in range(3)]
    rotated_keys = NEW_KEY + "," + settings.NRM_FIELD_KEYS
    with override_settings(NRM_FIELD_KEYS=rotated_keys):
        # Old values still read while rotation has not run: no downtime.
        assert Person.objects.get(pk=cases[0].person_id).given_name == "Name0"
        assert sum(c.stale for c in stale_counts()) > 0
        call_command("keys", "rotate", "--batch-size", "2")
        assert sum(c.stale for c in stale_counts()) == 0
        assert keyring().primary_id == "t3"
    with override_settings(NRM_FIELD_KEYS=NEW_KEY):
        # Only the new key is needed now.
        assert [Person.objects.get(pk=c.person_id).given_name for c in cases] == [
            "Name0", "Name1", "Name2"]
        assert Case.objects.get(pk=cases[2].pk).testimony == "story 2"
    assert "now sealed under key 't3'" in capsys.readouterr().out


def test_key_generate_prints_a_usable_key(capsys) -> None:
    call_command("keys", "generate", "--id", "k9")
    key = capsys.readouterr().out.strip()
    assert parse(key).primary_id == "k9"
