import Hummingbird
import NIOCore
import PassageServices

/// What one HTTP request carries besides its head and body: the peer's address (for audit and
/// the sign-in throttle) and, once its token was checked, who is asking.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address without port, as the console's audit writes it.
    public let source: String
    /// The signed-in user, set by `Authentication` for operations that need one.
    public var actor: Actor?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.source = ClientAddress.text(of: source.channel.remoteAddress)
        self.actor = nil
    }

    /// Bodies of this API are small (a case's facts, a referral); larger ones are refused
    /// before they are read.
    public var maxUploadSize: Int { 256 * 1024 }
}

/// A peer address as audit entries spell it (no port), the same form the console uses.
enum ClientAddress {
    static func text(of address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        return address.ipAddress ?? "unknown"
    }
}
