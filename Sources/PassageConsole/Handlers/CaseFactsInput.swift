import PassageCore

/// Turns the facts part of `CASE NEW` / `CASE SET` into case facts, with errors naming the key.
enum CaseFactsInput {
    /// The reply names the key once: `501 age: …`, not `501 age: age: …`.
    static func badArgument(_ error: CaseFactsError) -> ConsoleError {
        let key = error.key ?? "facts"
        var message = error.message
        if message.hasPrefix(key + ": ") { message.removeFirst(key.count + 2) }
        return .badArgument(argument: key, message: message)
    }

    /// `CASE NEW`: a JSON object, or `key=value` pairs that must include `ref` and `current_country`.
    static func newCase(_ input: FactsInput?) throws(ConsoleError) -> CaseFacts {
        try translatingErrors {
            switch input {
            case .json(let text)?:
                return try CaseFacts.decode(jsonLine: text)
            case .pairs(let pairs)?:
                for required in ["ref", "current_country"] where !pairs.contains(where: { $0.key == required }) {
                    throw ConsoleError.badArgument(argument: required, message: "\(required) is required for a new case")
                }
                // A placeholder to apply the pairs to; both required facts overwrite it.
                guard let placeholderCountry = CountryCode.allAssigned.first else {
                    throw ConsoleError.unavailable("country list unavailable")
                }
                return try CaseFacts(ref: "new", currentCountry: placeholderCountry)
                    .applying(updates: pairs.map { ($0.key, $0.value) })
            case nil:
                throw ConsoleError.badArgument(argument: "facts", message: "facts are required: a JSON object or key=value pairs")
            }
        }
    }

    /// `CASE SET`: the given facts change the stored ones; a JSON object names the facts it
    /// changes, like pairs do, so a partial update never wipes the facts it does not mention.
    static func changes(_ input: FactsInput?, to current: CaseFacts) throws(ConsoleError) -> CaseFacts {
        try translatingErrors {
            switch input {
            case .json(let text)?:
                return try current.applying(jsonObject: text)
            case .pairs(let pairs)?:
                return try current.applying(updates: pairs.map { ($0.key, $0.value) })
            case nil:
                throw ConsoleError.badArgument(argument: "facts", message: "facts to change are required: a JSON object or key=value pairs")
            }
        }
    }

    /// Facts errors name their key; anything else about facts is a bad `facts` argument.
    private static func translatingErrors(_ body: () throws -> CaseFacts) throws(ConsoleError) -> CaseFacts {
        do {
            return try body()
        } catch let error as CaseFactsError {
            throw badArgument(error)
        } catch let error as ConsoleError {
            throw error
        } catch {
            throw .badArgument(argument: "facts", message: "\(error)")
        }
    }
}
