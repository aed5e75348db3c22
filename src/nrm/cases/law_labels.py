"""The law engine's labels, marked for translation.

The engine stays free of Django, so its English labels (nrm.law.codes.LABELS) are
marked here for `makemessages`; pages translate them with gettext at run time. A test
keeps this list equal to the engine's.
"""

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("Assistance and support"),
    gettext_noop("Reflection period"),
    gettext_noop("Accommodation in a centre or shelter"),
    gettext_noop("Free medical care"),
    gettext_noop("Free legal aid"),
    gettext_noop("Interpretation and translation"),
    gettext_noop("A victims' advocate from the first contact"),
    gettext_noop("Vocational training"),
    gettext_noop("To continue education in state schools"),
    gettext_noop("Temporary residence permit"),
    gettext_noop("Short residence permit while needed for proceedings"),
    gettext_noop("Living support"),
    gettext_noop("Access to witness protection"),
    gettext_noop("Long-term care until full recovery"),
    gettext_noop("Compensation"),
    gettext_noop("Free travel documents to come home"),
    gettext_noop("Inform the person of their rights"),
    gettext_noop("Refer the child to child protection services"),
    gettext_noop("Notify the guardianship authority"),
    gettext_noop("Appoint a legal guardian"),
    gettext_noop("Search urgently for the child's family"),
    gettext_noop("Accommodate the child separately from adults"),
    gettext_noop("Inform the person of the residence options"),
    gettext_noop("Offer a reflection period"),
    gettext_noop("Inform the person about safe return"),
    gettext_noop("Assess the person's individual risk"),
    gettext_noop("Continue the prosecution"),
    gettext_noop("Assess the risk before any return"),
    gettext_noop("Consular assistance abroad"),
    gettext_noop("Applying any deportation order"),
    gettext_noop("Prosecuting for offences that result from being trafficked"),
    gettext_noop("Making assistance depend on cooperation"),
    gettext_noop("Returning the child"),
    gettext_noop("Returning the person against non-refoulement and the right to asylum"),
    gettext_noop("Making the child's identity public"),
    gettext_noop("Interviewing the child again"),
    gettext_noop("Reflection period shorter than 30 days"),
    gettext_noop("Reflection period longer than 90 days"),
    gettext_noop("Deportation during the reflection period"),
    gettext_noop("Child interviewed more than once"),
    gettext_noop("Child interviewed in unsuitable premises"),
    gettext_noop("Stay past its lawful end"),
]
