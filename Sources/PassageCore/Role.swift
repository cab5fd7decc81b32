/// What a signed-in person may do. Contract: shared/spec/console.md, "Roles".
///
/// Which roles may do what is declared once, in `UseCase` (Access/UseCase.swift), which the
/// console's command table, the HTTP API and the services all read; what a permitted use case
/// may then see (own organisation or every organisation, aggregates or case
/// contents) follows from the role as documented on each case below.
public enum Role: String, CaseIterable, Sendable {
    /// Works on their own organisation's cases: creates and edits cases, records needs,
    /// makes and answers referrals.
    case caseworker
    /// A caseworker who may also override the classifier's result (`CASE OVERRIDE`);
    /// the rule result stays in the case history.
    case supervisor
    /// Statistics and gaps of their own organisation, in aggregate only — never personal data.
    case analyst
    /// Statistics and gaps across every organisation — never personal data.
    case policy
    /// Users, providers and the audit log; deliberately no access to case contents.
    case admin

    /// Roles that do casework. A supervisor is a caseworker plus overrides, so every
    /// caseworker command is open to both.
    public static let casework: Set<Role> = [.caseworker, .supervisor]

    /// Roles that see only anonymised aggregates.
    public static let aggregateOnly: Set<Role> = [.analyst, .policy]

    /// Parses a role name case-insensitively (`Supervisor`, `ADMIN`), as typed by a person.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }
}
