"""What a demo installation holds: institutions, one official per role, three cases."""

from __future__ import annotations

from datetime import date

from nrm.authorities.roles import InstitutionKind, Role

# Demo installations only (NRM_DEMO=1, refused by the production settings).
DEMO_PASSWORD = "nrm-demo-2026"  # noqa: S105

# code, kind, parent code, English, Albanian and Serbian names, services
INSTITUTIONS = [
    ("csw-prishtina", InstitutionKind.SOCIAL_WORK_CENTRE, "municipalities",
     "Centre for Social Work, Prishtina", 'Qendra për Punë Sociale, Prishtinë', 'Centar za socijalni rad, Priština', ["psycho_social", "child_protection", "case_management"]),
    ("ngo-shelter", InstitutionKind.LICENSED_NGO, "other-authorised",
     "Demo licensed NGO shelter", 'Strehimore demonstruese e OJQ-së së licencuar', 'Demonstraciono sklonište licencirane NVO', ["shelter", "psycho_social", "vocational_training"]),
    ("mia-dcam", InstitutionKind.AUTHORITY, "mia",
     "Department for Citizenship, Asylum and Migration", 'Departamenti për Shtetësi, Azil dhe Migrim', 'Odeljenje za državljanstvo, azil i migracije', ["residence", "return_assistance"]),
    ("labour-inspectorate", InstitutionKind.AUTHORITY, "mlsw", "Labour Inspectorate", 'Inspektorati i Punës', 'Inspektorat rada', []),
    ("consulate-demo", InstitutionKind.CONSULAR_MISSION, "mfa",
     "Consular mission (demo)", 'Misioni konsullor (demonstrues)', 'Konzularna misija (demonstraciona)', ["consular", "return_assistance"]),
    ("compensation-commission", InstitutionKind.COMPENSATION_COMMISSION, "moj",
     "Commission for Compensation of Crime Victims", 'Komisioni për Kompensimin e Viktimave të Krimit', 'Komisija za naknadu žrtvama krivičnih dela', ["compensation"]),
    ("national-coordinator", InstitutionKind.COORDINATION, "mia",
     "Office of the National Anti-Trafficking Coordinator", 'Zyra e Koordinatorit Nacional kundër Trafikimit', 'Kancelarija nacionalnog koordinatora za borbu protiv trgovine ljudima', []),
    ("secretariat", InstitutionKind.COORDINATION, "mia",
     "National Strategies Monitoring and Evaluation Secretariat", 'Sekretariati për Monitorimin dhe Vlerësimin e Strategjive Nacionale', 'Sekretarijat za praćenje i ocenjivanje nacionalnih strategija', []),
]

# username, institution code, role
USERS = [
    ("police", "kosovo-police", Role.POLICE_INVESTIGATOR),
    ("prosecutor", "state-prosecutor", Role.PROSECUTOR),
    ("judge", "courts", Role.JUDGE),
    ("advocate", "victim-advocacy-office", Role.VICTIM_ADVOCATE),
    ("social", "csw-prishtina", Role.SOCIAL_WORKER),
    ("shelter", "ngo-shelter", Role.SHELTER_STAFF),
    ("health", "moh", Role.HEALTH_WORKER),
    ("labour", "labour-inspectorate", Role.LABOUR_INSPECTOR),
    ("foreigners", "mia-dcam", Role.FOREIGNERS_OFFICER),
    ("consular", "consulate-demo", Role.CONSULAR_OFFICER),
    ("commission", "compensation-commission", Role.COMMISSION_MEMBER),
    ("coordinator", "national-coordinator", Role.NATIONAL_COORDINATOR),
    ("analyst", "secretariat", Role.SECRETARIAT_ANALYST),
    ("auditor", "mia", Role.AUDITOR),
    ("admin", "mia", Role.SYSTEM_ADMIN),
]


def cases(today: date) -> list[dict[str, object]]:
    """Three synthetic cases; names say plainly that they are not people."""
    year = today.year
    return [
        {
            "registrar": "police",
            "identity": {"given_name": "Demo-Adult", "family_name": "Example-One",
                         "birth_date": date(year - 29, 3, 14)},
            "sex": "female", "citizenship": "MD",
            "person_facts": {"stay": "irregular", "lacks_means": True},
            "case_facts": {"exploitation": ["sexual"], "located": "kosovo"},
            "region": "prishtina",
            "team": [("victim-advocacy-office", "advocate", "case_management"),
                     ("ngo-shelter", None, "service_provider"),
                     ("mia-dcam", None, "residence"),
                     ("state-prosecutor", "prosecutor", "proceedings"),
                     ("courts", "judge", "proceedings")],
            "shelter": True, "protection": True,
        },
        {
            "registrar": "social",
            "identity": {"given_name": "Demo-Child", "family_name": "Example-Two",
                         "birth_date": date(year - 15, 7, 2)},
            "sex": "female", "citizenship": "XK",
            "person_facts": {"parental_care": False},
            "case_facts": {"exploitation": ["begging"], "located": "kosovo"},
            "region": "prizren",
            "child": True,
            "team": [("kosovo-police", "police", "identification"),
                     ("victim-advocacy-office", "advocate", "case_management")],
        },
        {
            "registrar": "consular",
            "identity": {"given_name": "Demo-Abroad", "family_name": "Example-Three",
                         "birth_date": date(year - 41, 11, 20)},
            "sex": "male", "citizenship": "XK",
            "person_facts": {},
            "case_facts": {"exploitation": ["forced_labour"], "located": "abroad",
                           "wants_to_return": True},
            "region": "abroad",
            "team": [("kosovo-police", None, "identification"),
                     ("labour-inspectorate", "labour", "service_provider")],
        },
    ]
