import Foundation
import PassageCore
import PassageStore
import Postgres

/// Runs a use case's store work in one transaction on a pooled connection, checks the actor's
/// session in that same transaction, enters the actor's organisation scope, and turns what the
/// layers below throw into `ServiceError`: the mapping from store outcomes to service outcomes
/// lives here and nowhere else.
struct StoreWork: Sendable {
    let pool: PostgresPool

    /// One transaction without an organisation scope (user administration, audit, sign-in).
    func transaction<T: Sendable>(
        _ actor: Actor?,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws(ServiceError) -> T {
        do {
            // A signed-in request's transaction first checks that the session's credentials still
            // hold, in the same round trip as its first statement (Docs/security.md "2. Sessions
            // end with their credentials").
            if let credentials = actor?.credentials ?? SessionCredentials.current {
                return try await pool.transaction { connection in
                    try SessionCheck.enqueue(userID: credentials.userID, epoch: credentials.epoch, on: connection)
                    return try body(connection)
                }
            }
            return try await pool.transaction(body)
        } catch {
            throw Self.serviceError(for: error)
        }
    }

    /// Like `transaction`, inside the scope of the actor's organisation (`OrganisationScope`):
    /// the body gets the organisation's id, and row-level security limits every table it
    /// touches to that organisation's rows (and referrals to their two sides).
    func scoped<T: Sendable>(
        _ actor: Actor,
        _ body: @escaping @Sendable (PostgresConnection, Int64) throws -> T
    ) async throws(ServiceError) -> T {
        let organisation = actor.organisation
        let knownID = actor.organisationID
        return try await transaction(actor) { connection in
            if let knownID {
                try OrganisationScope.enter(organisation: knownID, on: connection)
                return try body(connection, knownID)
            }
            return try body(connection, try OrganisationScope.enter(organisationNamed: organisation, on: connection))
        }
    }

    static func serviceError(for error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError:
            return error
        case let error as ReadRefused:
            // The read standby behind or down and --read-lag-policy refuse: 451, retry is safe.
            return .unavailable(error.description)
        case let error where SessionCheck.isSessionEnded(error):
            return .sessionEnded(SessionEnd.reason)
        case let error as StoreError:
            switch error {
            case .notFound: return .notFound(error.description)
            case .staleVersion: return .staleVersion(error.description)
            case .duplicate, .conflict: return .conflict(error.description)
            case .invalid: return StoreWork.badArgument(error)
            // A broken file or stored record: a state the request cannot change (551).
            case .unusable: return .conflict(error.description)
            }
        case let error as ReferralTransitionError:
            switch error {
            case .illegal: return .conflict(error.description)
            case .wrongSide: return .permissionDenied(error.description)
            }
        case let error as ReferralRequestError:
            return .badArgument(argument: error.argument, message: error.description)
        case let error as PostgresError where error.serverError?.sqlState == "PC001":
            // A change to a closed case, refused by Schema/0019's triggers whichever store tried it.
            return .conflict(error.serverError?.message ?? "the case is closed; reopen it first (CASE REOPEN)")
        case let error as PostgresError where error.serverError?.sqlState == "57014":
            // statement_timeout (or an operator's cancel): the same request would run as long again.
            return .busy(
                "the query ran past the server's statement time limit and was stopped; nothing was changed. Ask for less (fewer dimensions, a shorter window) or retry later"
            )
        case let error as PostgresError where error.serverError?.sqlState == "55P03":
            // lock_timeout: another transaction held what this one needed.
            return .unavailable(
                "waited too long for a lock another transaction held; nothing was changed, retry is safe")
        case let error as PostgresError where PrivilegeDenial.matches(error):
            // A missing grant (the service role of a least-privilege setup): the operator finds
            // the object in the log; the client learns only that it is not its fault.
            PrivilegeDenial.log(error)
            return .unavailable("the database refused this server a privilege (logged for the administrator)")
        case let error as PostgresError:
            // Anything the database says that is not a store outcome is either transient (the
            // server went away, the pool is exhausted, a serialization failure outlived its
            // retries) or a bug; both are safe to retry and must not leak SQL to the client.
            return .unavailable("database unavailable, retry later (\(Self.shortReason(error)))")
        default:
            return .unavailable("temporary failure, retry later")
        }
    }

    private static func shortReason(_ error: PostgresError) -> String {
        if let server = error.serverError { return "SQLSTATE \(server.sqlState)" }
        return String(describing: error).split(separator: ":").first.map(String.init) ?? "connection"
    }
}
