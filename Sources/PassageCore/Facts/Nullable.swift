/// A nested group of facts (`employment`, `trafficking`) that the contract allows to be JSON
/// `null`. Passage keeps `null` apart from an absent key: absent means "not yet known" (and is
/// listed in `missing`), `null` means the caseworker recorded that there is nothing to record
/// (no employment, no trafficking indicators). See Docs/classification.md.
public enum Nullable<Wrapped: Hashable & Sendable>: Hashable, Sendable {
    case null
    case value(Wrapped)

    /// The wrapped value, or nil for `null`.
    public var value: Wrapped? {
        if case .value(let wrapped) = self { return wrapped }
        return nil
    }
}
