"""The competent authorities of Article 6.1, seeded by a data migration.

Plain data (no model imports) so that the migration that loads it never changes meaning
when the models do.
"""

AUTHORITIES = [
    # code, article, English, Albanian, Serbian (Latin)
    ("mia", "6.1.1", "Ministry of Internal Affairs", "Ministria e Punëve të Brendshme",
     "Ministarstvo unutrašnjih poslova"),
    ("kosovo-police", "6.1.2", "Kosovo Police", "Policia e Kosovës", "Kosovska policija"),
    ("kjc", "6.1.3", "Kosovo Judicial Council", "Këshilli Gjyqësor i Kosovës",
     "Sudski savet Kosova"),
    ("kpc", "6.1.4", "Kosovo Prosecutorial Council", "Këshilli Prokurorial i Kosovës",
     "Tužilački savet Kosova"),
    ("moj", "6.1.5", "Ministry of Justice", "Ministria e Drejtësisë", "Ministarstvo pravde"),
    ("mest", "6.1.6", "Ministry of Education, Science and Technology",
     "Ministria e Arsimit, Shkencës dhe Teknologjisë",
     "Ministarstvo obrazovanja, nauke i tehnologije"),
    ("mlga", "6.1.7", "Ministry of Local Governance Administration",
     "Ministria e Administrimit të Pushtetit Lokal",
     "Ministarstvo administracije lokalne samouprave"),
    ("mcys", "6.1.8", "Ministry of Culture, Youth and Sports",
     "Ministria e Kulturës, Rinisë dhe Sportit", "Ministarstvo kulture, omladine i sporta"),
    ("mlsw", "6.1.9", "Ministry of Labour and Social Welfare",
     "Ministria e Punës dhe Mirëqenies Sociale", "Ministarstvo rada i socijalne zaštite"),
    ("moh", "6.1.10", "Ministry of Health", "Ministria e Shëndetësisë", "Ministarstvo zdravlja"),
    ("mfa", "6.1.11", "Ministry of Foreign Affairs", "Ministria e Punëve të Jashtme",
     "Ministarstvo spoljnih poslova"),
    ("mof", "6.1.12", "Ministry of Finance", "Ministria e Financave", "Ministarstvo finansija"),
    ("gea", "6.1.13", "Gender Equality Agency", "Agjencia për Barazi Gjinore",
     "Agencija za ravnopravnost polova"),
    ("state-prosecutor", "6.1.14", "State Prosecutor", "Prokurori i Shtetit", "Državni tužilac"),
    ("courts", "6.1.15", "Courts", "Gjykatat", "Sudovi"),
    ("victim-advocacy-office", "6.1.16", "Office for Protection and Assistance to Victims",
     "Zyra për Mbrojtjen dhe Ndihmën e Viktimave", "Kancelarija za zaštitu i pomoć žrtvama"),
    ("municipalities", "6.1.17", "Municipalities", "Komunat", "Opštine"),
    ("other-authorised", "6.1.18",
     "Other authorised state institutions and their service providers",
     "Institucione të tjera shtetërore të autorizuara dhe ofruesit e tyre të shërbimeve",
     "Druge ovlašćene državne institucije i njihovi pružaoci usluga"),
]
