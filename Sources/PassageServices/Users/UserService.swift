import PassageCore

/// A user to create.
public struct NewUser: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var password: String
    /// Created when missing; nil: the default organisation.
    public var organisation: String?

    public init(name: String, role: Role, password: String, organisation: String? = nil) {
        self.name = name
        self.role = role
        self.password = password
        self.organisation = organisation
    }
}

/// What an account change did: the account, and whether it now waits for a supervisor of its
/// organisation to confirm it (an administrator of another organisation made the change,
/// Docs/security.md "7. Separation of duties").
public struct AccountChange: Sendable, Equatable {
    public let user: String
    public let awaitsConfirmation: Bool

    public init(user: String, awaitsConfirmation: Bool) {
        self.user = user
        self.awaitsConfirmation = awaitsConfirmation
    }
}

/// Administering console accounts, and supervisors' view of other organisations acting on
/// theirs. Every change is one transaction with its audit entry (and, across organisations, the
/// supervisors' notice); a change of password, role, lock or the removal ends the user's open
/// sessions. The console's `USER …`/`NOTICES` and `passage user …` call the same use cases, so
/// their audit entries differ only in who acted and from where.
public protocol UserService: Sendable {
    func add(_ user: NewUser, by actor: Actor) async throws(ServiceError) -> (
        account: UserRecord, change: AccountChange
    )
    func setPassword(of user: String, to password: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    func lock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    /// Also forgets the user's failed sign-ins.
    func unlock(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    func setRole(of user: String, to role: Role, by actor: Actor) async throws(ServiceError) -> AccountChange
    /// The audit trail keeps the name.
    func remove(_ user: String, by actor: Actor) async throws(ServiceError) -> AccountChange
    /// Every account, or only `organisation`'s, by name (a bulk read: the actor's budget applies).
    func list(organisation: String?, by actor: Actor) async throws(ServiceError) -> [UserRecord]

    /// The newest `count` notices of the actor's organisation, newest first; with `before`, those
    /// older than that notice (paging).
    func notices(_ count: Int, before: Int64?, by actor: Actor) async throws(ServiceError) -> [OrganisationNotice]
    /// A supervisor lets an account of their organisation that waits for confirmation sign in.
    func confirm(_ user: String, by actor: Actor) async throws(ServiceError)
}

extension UserService {
    /// The newest `count` notices (NOTICES).
    public func notices(_ count: Int, by actor: Actor) async throws(ServiceError) -> [OrganisationNotice] {
        try await notices(count, before: nil, by: actor)
    }
}

extension Actor {
    /// The operator of the machine, at a command-line tool that holds the database itself
    /// (`passage user …`): `name` is `operator:<os user>`. Console user names cannot contain
    /// ':', so no signed-in user is ever taken for the operator.
    public static func `operator`(_ name: String, source: String = "cli") -> Actor {
        Actor(name: name, role: .admin, organisation: "", source: source)
    }

    /// Whether this is the operator (`Actor.operator`): the operator acts for every organisation
    /// and leaves no supervisors' notice (the audit entry records the change).
    var isOperator: Bool { credentials == nil && name.hasPrefix("operator:") }
}
