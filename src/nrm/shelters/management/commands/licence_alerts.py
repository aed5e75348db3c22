from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nrm.shelters.services import unlicensed_referrals_alert


class Command(BaseCommand):
    help = ("Alert the case teams of open referrals to providers whose licences have all expired "
            "or are suspended (Art. 33.3); run daily beside the sweep.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{unlicensed_referrals_alert()} cases alerted")
