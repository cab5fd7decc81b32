/// The service types of the IASC inter-agency referral form: what a provider offers and a
/// referral asks for. The `service_types` rows and the stored `service` columns hold these raw
/// values.
public enum ServiceType: String, CaseIterable, Sendable, Hashable {
    case psychosocial
    case childCare = "child_care"
    case familyTracing = "family_tracing"
    case womensServices = "womens_services"
    case disability
    case legalAssistance = "legal_assistance"
    case safeShelter = "safe_shelter"
    case coreReliefItems = "core_relief_items"
    case cash
    case health
    case foodSecurity = "food_security"
    case shelter
    case livelihoodsEducation = "livelihoods_education"
    case other
}
