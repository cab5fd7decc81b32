import PassageServices

extension Refusal {
    /// The id arguments of a bound line, in declaration order.
    static func targets(of command: CommandSpec, _ arguments: [String: ArgumentValue]) -> [String] {
        (command.positional + command.named).compactMap { spec in
            guard case .id = spec.kind, case .int(let id)? = arguments[spec.name] else { return nil }
            return "\(spec.name):\(id)"
        }
    }
}
