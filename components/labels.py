"""Human labels for the data's vocabularies (English; one place, so translation has one home)."""

VIEW_LABELS = {"split": "Map and network", "map": "Map", "network": "Network", "table": "Table"}
SCOPE_LABELS = {"region": "Region", "world": "World"}
KIND_LABELS = {
    "technopole": "Technopole", "technopole_site": "Technopole site", "university": "University",
    "research_centre": "Research centre", "infrastructure": "Infrastructure", "startup": "Start-up",
    "firm": "Firm", "support_body": "Agency or support body", "government": "Government",
    "cluster": "Clust-ER cluster", "research_network": "Research network", "regions_network": "Network of regions",
    "macro_region": "Macro-region", "interreg_programme": "Interreg programme",
    "support_programme": "Support programme", "policy": "Policy", "region": "Region", "province": "Province",
    "partner_region": "Partner region", "member_region": "Network member region", "programme_area": "Programme area",
}
LINK_LABELS = {
    "cluster_membership": "Cluster membership", "value_chain": "Value-chain participation",
    "research_collaboration": "Research collaboration", "programme_support": "Programme support",
    "partner_agreement": "Partner-region agreement", "network_membership": "Network or programme membership",
    "infrastructure": "Infrastructure connection", "part_of": "Part of / hosted by",
    "coordination": "Coordinates or manages", "external_programme": "Takes part in (outside its area)",
}
SUNDIAL_LABELS = {"education_training": "Education and training", "social_services": "Social services",
                  "business_services": "Business services", "research": "Research"}
CONFIDENCE_LABELS = {"confirmed": "Confirmed by the source", "unconfirmed": "Not confirmed"}
SYNTHETIC_BADGE = "synthetic demo data"
