from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "nrm.crypto"
    label = "crypto"

    def ready(self) -> None:
        # Parse the keys at start-up so that a malformed NRM_FIELD_KEYS stops the process
        # before it serves a single request, rather than on the first encrypted read.
        from nrm.crypto.keyring import keyring

        keyring()
