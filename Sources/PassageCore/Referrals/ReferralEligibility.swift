/// What the directory and the case say about a referral before it is made, as read in one
/// statement by the store: the case, the need, the provider and which of its services serve
/// the need, and any open referral it would duplicate.
public struct ReferralCandidate: Sendable, Equatable {
    /// The need, when it exists in the referring organisation.
    public struct Need: Sendable, Equatable {
        public var caseID: Int64
        /// UNHCR specific-needs code (`LP-ND`).
        public var code: String
        public var status: String
        public var priority: String

        public init(caseID: Int64, code: String, status: String, priority: String) {
            self.caseID = caseID
            self.code = code
            self.status = status
            self.priority = priority
        }
    }

    /// The provider, when it exists.
    public struct Provider: Sendable, Equatable {
        public var name: String
        /// HSDS service status: only `active` takes referrals.
        public var status: String
        public var minimumAge: Int?
        public var maximumAge: Int?
        /// Its services that serve the need's code, sorted.
        public var servicesForNeed: [String]
        /// All its services, sorted.
        public var allServices: [String]

        public init(
            name: String, status: String, minimumAge: Int?, maximumAge: Int?, servicesForNeed: [String],
            allServices: [String]
        ) {
            self.name = name
            self.status = status
            self.minimumAge = minimumAge
            self.maximumAge = maximumAge
            self.servicesForNeed = servicesForNeed
            self.allServices = allServices
        }
    }

    /// The case exists in the referring organisation.
    public var caseFound: Bool
    /// The person's age, when the case records it.
    public var age: Int?
    public var need: Need?
    public var provider: Provider?
    /// An open referral of the same need to the same provider, which a new one would duplicate.
    public var openReferral: Int64?

    public init(caseFound: Bool, age: Int?, need: Need?, provider: Provider?, openReferral: Int64?) {
        self.caseFound = caseFound
        self.age = age
        self.need = need
        self.provider = provider
        self.openReferral = openReferral
    }
}

/// What a referral that may be made is made with.
public struct ReferralTerms: Sendable, Equatable {
    /// The provider's service it goes to.
    public let service: String
    /// The caregiver answer to record: only for a child (nil for an adult, whatever was said).
    public let caregiverInformed: Bool?
    /// The order's priority, or the need's.
    public let priority: String

    public init(service: String, caregiverInformed: Bool?, priority: String) {
        self.service = service
        self.caregiverInformed = caregiverInformed
        self.priority = priority
    }
}

/// Whether a referral may be made: the referral eligibility rules, in the order a caseworker
/// meets them (the records exist, the need is open, the provider takes referrals and serves the
/// need and the person's age, a child's caregiver answer, no duplicate of an open referral).
public enum ReferralEligibility {
    public static func decide(_ order: ReferralOrder, _ candidate: ReferralCandidate) throws(ReferralRefusal)
        -> ReferralTerms
    {
        guard candidate.caseFound else { throw .caseNotFound(order.caseID) }
        guard let need = candidate.need, need.caseID == order.caseID else {
            throw .needNotFound(need: order.needID, case: order.caseID)
        }
        guard let provider = candidate.provider else { throw .providerNotFound(order.providerID) }
        guard need.status == NeedStatus.open.rawValue else {
            throw .needNotOpen(need: order.needID, status: need.status)
        }
        guard provider.status == "active" else {
            throw .providerNotTakingReferrals(name: provider.name, id: order.providerID, status: provider.status)
        }
        guard var service = provider.servicesForNeed.first else {
            throw .noServiceForNeed(provider: provider.name, needCode: need.code, offers: provider.allServices)
        }
        if let wanted = order.service {
            guard provider.servicesForNeed.contains(wanted) else {
                throw .serviceNotOffered(
                    wanted, provider: provider.name, needCode: need.code, choices: provider.servicesForNeed)
            }
            service = wanted
        }
        var caregiverInformed = order.caregiverInformed
        if let age = candidate.age {
            if let minimum = provider.minimumAge, age < minimum {
                throw .outsideAges(provider: provider.name, minimum: minimum, maximum: provider.maximumAge, age: age)
            }
            if let maximum = provider.maximumAge, age > maximum {
                throw .outsideAges(provider: provider.name, minimum: provider.minimumAge, maximum: maximum, age: age)
            }
            if age < 18 {
                guard caregiverInformed != nil else { throw .caregiverAnswerRequired(age: age) }
            } else {
                // Recorded only for children (the column's rule); an adult's answer is not kept.
                caregiverInformed = nil
            }
        }
        if let open = candidate.openReferral {
            throw .alreadyReferred(need: order.needID, provider: provider.name, referral: open)
        }
        // A referral is as urgent as its need unless the referrer says otherwise.
        return ReferralTerms(
            service: service, caregiverInformed: caregiverInformed, priority: order.priority ?? need.priority)
    }
}

/// Why a referral may not be made.
public enum ReferralRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case caseNotFound(Int64)
    case needNotFound(need: Int64, case: Int64)
    case providerNotFound(Int64)
    case needNotOpen(need: Int64, status: String)
    case providerNotTakingReferrals(name: String, id: Int64, status: String)
    case noServiceForNeed(provider: String, needCode: String, offers: [String])
    case serviceNotOffered(String, provider: String, needCode: String, choices: [String])
    case outsideAges(provider: String, minimum: Int?, maximum: Int?, age: Int)
    case caregiverAnswerRequired(age: Int)
    case alreadyReferred(need: Int64, provider: String, referral: Int64)

    /// How a caller may act on it.
    public enum Kind: Sendable, Equatable {
        /// A record that does not exist (or is not the organisation's).
        case notFound
        /// The state of the records stands in the way (a closed need, an open duplicate).
        case conflict
        /// The request asks for something the directory or the case cannot give; names the argument.
        case badArgument(String)
    }

    public var kind: Kind {
        switch self {
        case .caseNotFound, .needNotFound, .providerNotFound: .notFound
        case .needNotOpen, .alreadyReferred: .conflict
        case .providerNotTakingReferrals, .noServiceForNeed, .outsideAges: .badArgument("provider")
        case .serviceNotOffered: .badArgument("service")
        case .caregiverAnswerRequired: .badArgument("caregiver")
        }
    }

    public var description: String {
        switch self {
        case .caseNotFound(let id): "case \(id)"
        case .needNotFound(let need, let caseID): "need \(need) of case \(caseID)"
        case .providerNotFound(let id): "provider \(id)"
        case .needNotOpen(let need, let status):
            "need \(need) is \(status); reopen it (NEED SET \(need) open) before referring it"
        case .providerNotTakingReferrals(let name, let id, let status):
            "provider \(name) (provider \(id)) is \(status) and takes no referrals"
        case .noServiceForNeed(let provider, let needCode, let offers):
            "provider \(provider) offers no service for need \(needCode) (it offers \(offers.isEmpty ? "no services" : offers.joined(separator: ", ")))"
        case .serviceNotOffered(let service, let provider, let needCode, let choices):
            "service \(service) is not one \(provider) offers for need \(needCode) (choose from \(choices.joined(separator: ", ")))"
        case .outsideAges(let provider, let minimum, let maximum, let age):
            "provider \(provider) serves ages \(minimum.map(String.init) ?? "0") to \(maximum.map(String.init) ?? "any"); the person is \(age)"
        case .caregiverAnswerRequired(let age):
            "caregiver=yes or caregiver=no is required: the person is \(age), under 18 (was their caregiver informed?)"
        case .alreadyReferred(let need, let provider, let referral):
            "need \(need) is already referred to \(provider) (referral \(referral), still open); use it, or cancel it first"
        }
    }
}
