import PassageCore

/// Who is asking a use case to act: a signed-in user, as an interface knows them. Every use
/// case takes one; it decides the organisation scope, the permission checks that depend on the
/// role, the name written in the audit entry and the session check.
public struct Actor: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let organisation: String
    /// The organisation's id as the store knows it, when the sign-in came from the store: lets a
    /// use case enter the organisation's scope without looking its name up again.
    public let organisationID: Int64?
    /// The account's id and credentials epoch when the sign-in came from the store: each of the
    /// actor's transactions checks them.
    public let credentials: SessionCredentials?
    /// Where the request came from (an IP address without port, or `cli:<account>`), for audit.
    public let source: String

    public init(
        name: String, role: Role, organisation: String, organisationID: Int64? = nil,
        credentials: SessionCredentials? = nil, source: String
    ) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.organisationID = organisationID
        self.credentials = credentials
        self.source = source
    }
}
