import PassageCore

/// Case facts as a person entered them: one JSON object, or `key=value` pairs in the order given
/// (`employment.skill_level=2`). Values stay text: which facts are numbers, lists or booleans is
/// the case-facts contract's to say (`CaseFacts.applying(updates:)`).
public enum EnteredFacts: Sendable, Equatable {
    case json(String)
    case pairs([EnteredFact])
}

/// One `key=value` fact: the key lower-cased and dotted for nested facts.
public struct EnteredFact: Sendable, Equatable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension EnteredFacts {
    /// The facts of a new case: a JSON object, or pairs that must include `ref` and `current_country`.
    func newCase() throws(ServiceError) -> CaseFacts {
        try Self.namingTheKey {
            switch self {
            case .json(let text):
                return try CaseFacts.decode(jsonLine: text)
            case .pairs(let pairs):
                for required in ["ref", "current_country"] where !pairs.contains(where: { $0.key == required }) {
                    throw ServiceError.badArgument(
                        argument: required, message: "\(required) is required for a new case")
                }
                // A placeholder to apply the pairs to; both required facts overwrite it.
                guard let placeholderCountry = CountryCode.allAssigned.first else {
                    throw ServiceError.unavailable("country list unavailable")
                }
                return try CaseFacts(ref: "new", currentCountry: placeholderCountry)
                    .applying(updates: pairs.map { ($0.key, $0.value) })
            }
        }
    }

    /// These facts applied to a case's `current` ones. A JSON object names the facts it changes,
    /// like pairs do, so a partial change never wipes the facts it does not mention.
    func applied(to current: CaseFacts) throws(ServiceError) -> CaseFacts {
        try Self.namingTheKey {
            switch self {
            case .json(let text): return try current.applying(jsonObject: text)
            case .pairs(let pairs): return try current.applying(updates: pairs.map { ($0.key, $0.value) })
            }
        }
    }

    /// Facts errors name their key, once (`age: …`, not `age: age: …`); anything else about
    /// facts is a bad `facts` argument.
    private static func namingTheKey(_ body: () throws -> CaseFacts) throws(ServiceError) -> CaseFacts {
        do {
            return try body()
        } catch let error as CaseFactsError {
            let key = error.key ?? "facts"
            var message = error.message
            if message.hasPrefix(key + ": ") { message.removeFirst(key.count + 2) }
            throw .badArgument(argument: key, message: message)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw .badArgument(argument: "facts", message: "\(error)")
        }
    }
}
