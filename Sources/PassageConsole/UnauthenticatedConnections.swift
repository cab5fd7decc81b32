import PassageCore
import Synchronization

/// Counts the connections that are not signed in, in all and per address prefix (IPv4 /24, IPv6
/// /64, loopback as one: `AddressPrefix`), and refuses a new one past either limit. Both limits
/// sit below the server's connection limit, so idle strangers cannot take every place: the
/// rest is kept for signed-in users (Docs/security.md "3. Unauthenticated connections").
final class UnauthenticatedConnections: Sendable {
    enum Refusal: Sendable, Equatable {
        case tooMany
        case tooManyFromNetwork
    }

    static let tooMany = "421 too many connections waiting to sign in; try again later"
    static let tooManyFromNetwork =
        "421 too many connections waiting to sign in from your network; sign in on one of them or try again later"

    let limit: Int
    let perNetwork: Int
    private let counts = Mutex(Counts())

    private struct Counts {
        var total = 0
        var byPrefix: [String: Int] = [:]
    }

    init(limit: Int, perNetwork: Int) {
        self.limit = limit
        self.perNetwork = perNetwork
    }

    /// A new connection from `source`: its place, or why there is none.
    func admit(source: String) -> Result<Place, RefusalError> {
        let prefix = AddressPrefix.of(source)
        let refusal: Refusal? = counts.withLock { counts in
            if counts.total >= limit { return .tooMany }
            if counts.byPrefix[prefix, default: 0] >= perNetwork { return .tooManyFromNetwork }
            counts.total += 1
            counts.byPrefix[prefix, default: 0] += 1
            return nil
        }
        if let refusal { return .failure(RefusalError(refusal: refusal)) }
        return .success(Place(ledger: self, prefix: prefix))
    }

    struct RefusalError: Error {
        let refusal: Refusal
        var notice: String {
            refusal == .tooMany ? UnauthenticatedConnections.tooMany : UnauthenticatedConnections.tooManyFromNetwork
        }
    }

    var total: Int { counts.withLock { $0.total } }

    func count(prefix: String) -> Int { counts.withLock { $0.byPrefix[prefix, default: 0] } }

    fileprivate func add(_ prefix: String) {
        counts.withLock {
            $0.total += 1
            $0.byPrefix[prefix, default: 0] += 1
        }
    }

    fileprivate func remove(_ prefix: String) {
        counts.withLock {
            $0.total -= 1
            let left = $0.byPrefix[prefix, default: 1] - 1
            $0.byPrefix[prefix] = left > 0 ? left : nil
        }
    }

    /// One connection's place among the unauthenticated. The `Session` decides when it is held.
    struct Place: Sendable {
        let ledger: UnauthenticatedConnections
        let prefix: String

        func release() { ledger.remove(prefix) }
        /// Taken again after a sign-out, without a limit: the connection is already open, and its
        /// new sign-in deadline bounds how long it keeps the place.
        func retake() { ledger.add(prefix) }
    }
}
