import PassageCore

extension Actor {
    /// Refuses a use case this actor's role may not ask for (UseCase.roles, the one role
    /// matrix). The interfaces check the same table before they call, so this is the second
    /// line: a new interface, or a mistake in one, still cannot reach past the matrix.
    public func require(_ useCase: UseCase) throws(ServiceError) {
        guard useCase.allows(role) else {
            throw .permissionDenied("the \(role.rawValue) role may not use \(useCase.rawValue)")
        }
    }
}
