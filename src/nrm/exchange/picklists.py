"""HTCDS 2.0 picklist values, copied from IOM's HTCDS_Field_Standards_2.0.csv (CC BY 4.0).

Kept in the package as data: the installed system must not depend on ../shared. A test
compares every list here with the standard's own file, so a copy that drifts fails CI.
"""

from __future__ import annotations

from typing import Final

GENDER: Final = (
    "Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine",
    "NonConforming", "NonSpecifiedUnknown",
)
TRAFFICKING_STATUS: Final = (
    "PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking",
)
DECISION_MAKING_ORG: Final = (
    "Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other",
)
METHOD_OF_RECRUITMENT: Final = (
    "AtAPlaceOfBusiness", "AtAnEducationalInstitution", "AtWork", "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement", "ThroughATelevisionAdvert", "ThroughANewspaperAdvert",
    "ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "Other",
)
METHODS_OF_CONTROL: Final = (
    "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage",
    "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings", "RestrictsFinancialAccess",
    "RestrictsMedicalCare", "WithholdsNecessities", "PsychologicalAbuse", "PsychoactiveSubstance",
    "ExcessiveWorkingHours", "WithholdsDocuments", "Other",
)
TYPE_OF_EXPLOITATION: Final = (
    "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
    "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption",
    "Surrogacy", "Other",
)
FORCED_LABOUR_INDUSTRY: Final = (
    "A_AgricultureForestryAndFishing", "B_MiningAndQuarrying", "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply", "E_WaterSupplySewerageWasteManagement",
    "F_Construction", "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "H_TransportationAndStorage", "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication", "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities", "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities", "O_PublicAdministrationAndDefence",
    "P_Education", "Q_HumanHealthAndSocialWorkActivities", "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
)
TYPE_OF_SEX_EXPLOITATION: Final = (
    "Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices",
)
CASE_STATUS: Final = ("Active", "FollowUp", "Closed", "ClosedReferred")
REASON_FOR_REFERRAL: Final = ("AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other")
