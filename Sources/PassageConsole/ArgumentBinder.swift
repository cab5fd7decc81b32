/// Matches the words after a command name against its declaration: positional words in order,
/// named ones by key, facts last. Every mistake is a `501` naming the argument.
enum ArgumentBinder {
    static func bind(_ spec: CommandSpec, tokenizer: inout Tokenizer) throws -> (
        arguments: [String: ArgumentValue], facts: FactsInput?
    ) {
        var positionalWords: [String] = []
        var namedValues: [String: String] = [:]
        var factPairs: [FactPair] = []
        var jsonFacts: String?

        while true {
            if spec.facts == .required, let tail = tokenizer.takeJSONTail() {
                jsonFacts = tail
                break
            }
            guard let word = try tokenizer.next() else { break }
            switch word {
            case .plain(let text):
                positionalWords.append(text)
            case .named(let key, let value):
                if spec.named.contains(where: { $0.name == key }) {
                    guard namedValues[key] == nil else {
                        throw ConsoleError.badArgument(argument: key, message: "given twice")
                    }
                    namedValues[key] = value
                } else if spec.facts == .required {
                    guard !factPairs.contains(where: { $0.key == key }) else {
                        throw ConsoleError.badArgument(argument: key, message: "given twice")
                    }
                    factPairs.append(FactPair(key: key, value: value))
                } else {
                    throw ConsoleError.badArgument(argument: key, message: "unknown argument for \(spec.name)")
                }
            case .jsonTail(let text):
                jsonFacts = text
            }
        }

        var arguments: [String: ArgumentValue] = [:]
        try bindPositional(spec, positionalWords, into: &arguments)
        for argument in spec.named {
            if let raw = namedValues[argument.name] {
                arguments[argument.name] = try argument.validate(raw)
            } else if let value = argument.defaultValue {
                arguments[argument.name] = value
            } else if argument.isRequired {
                throw ConsoleError.badArgument(
                    argument: argument.name, message: "missing (\(argument.name)=\(argument.placeholder))")
            }
        }
        return (arguments, try facts(spec, json: jsonFacts, pairs: factPairs))
    }

    private static func bindPositional(
        _ spec: CommandSpec, _ words: [String],
        into arguments: inout [String: ArgumentValue]
    ) throws {
        var remaining = words[...]
        for argument in spec.positional {
            let raw: String?
            if case .words = argument.kind {
                raw = remaining.isEmpty ? nil : remaining.joined(separator: " ")
                remaining = []
            } else {
                raw = remaining.popFirst()
            }
            if let raw {
                arguments[argument.name] = try argument.validate(raw)
            } else if let value = argument.defaultValue {
                arguments[argument.name] = value
            } else if argument.isRequired {
                throw ConsoleError.badArgument(argument: argument.name, message: "missing (\(spec.usage))")
            }
        }
        if let extra = remaining.first {
            throw ConsoleError.badArgument(
                argument: extra.count > 40 ? String(extra.prefix(40)) + "…" : extra,
                message: "unexpected word (\(spec.usage))")
        }
    }

    private static func facts(_ spec: CommandSpec, json: String?, pairs: [FactPair]) throws -> FactsInput? {
        guard spec.facts == .required else { return nil }
        switch (json, pairs.isEmpty) {
        case (let json?, true):
            guard json.hasSuffix("}") else {
                throw ConsoleError.badArgument(argument: "facts", message: "the JSON object is not closed with }")
            }
            return .json(json)
        case (_?, false):
            throw ConsoleError.badArgument(
                argument: "facts", message: "give facts as key=value pairs or as one JSON object, not both")
        case (nil, false):
            return .pairs(pairs)
        case (nil, true):
            throw ConsoleError.badArgument(argument: "facts", message: "missing: key=value pairs or one JSON object")
        }
    }
}
