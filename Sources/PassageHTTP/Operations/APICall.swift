import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PassageCore
import PassageServices

/// One call of an operation, as its `run` sees it: the request, the services, who asks, and
/// helpers that turn path, query and body into typed values or a 400 naming what is wrong.
public struct APICall: Sendable {
    public let request: Request
    public let context: APIRequestContext
    public let services: ApplicationServices
    public let settings: HTTPSettings

    /// The signed-in user (operations declared `.signedIn` or `.useCase` always have one).
    public func actor() throws(Problem) -> Actor {
        guard let actor = context.actor else { throw Problem.notSignedIn() }
        return actor
    }

    /// A positive id from the path.
    public func id(_ name: String) throws(Problem) -> Int64 {
        guard let text = context.parameters.get(name), let value = Int64(text), value > 0 else {
            throw Problem.badArgument(name, "must be a positive whole number")
        }
        return value
    }

    /// A query parameter's text, or nil when absent.
    public func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// A whole number from the query, within `range`, or `default`.
    public func query(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(Problem) -> Int {
        guard let text = query(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badArgument(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// One of a closed set of values from the query (a code list's raw value), or nil.
    public func query<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(Problem) -> T?
    where T.RawValue == String {
        guard let text = query(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem.badArgument(name, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A header's value.
    public func header(_ name: HTTPField.Name) -> String? {
        request.headers[name]
    }

    /// The JSON body decoded as `T`; a body that is not JSON, or lacks or mistypes a field,
    /// is a 400 naming the field.
    public func body<T: Decodable>(_ type: T.Type) async throws -> T {
        let buffer = try await bodyBytes()
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem.badArgument(key.stringValue, "is required")
        } catch let DecodingError.typeMismatch(_, context) {
            throw Problem.badArgument(Self.field(context), "has the wrong type (\(context.debugDescription))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw Problem.badArgument(Self.field(context), "must not be null")
        } catch let DecodingError.dataCorrupted(context) {
            throw Problem.badArgument(
                context.codingPath.isEmpty ? "body" : Self.field(context), context.debugDescription)
        } catch {
            throw Problem.badArgument("body", "is not valid JSON")
        }
    }

    /// The body as sent, for a body a core decoder reads itself (case facts: the case-facts
    /// contract's decoder is the one check of them); too large is 413, not UTF-8 a 400.
    public func bodyText() async throws -> String {
        let buffer = try await bodyBytes()
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem.badArgument("body", "is not UTF-8 text")
        }
        return text
    }

    private func bodyBytes() async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem(
                .contentTooLarge, type: "/problems/too-large", title: "Body too large",
                detail: "the body is larger than \(context.maxUploadSize) bytes")
        }
    }

    private static func field(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Server-wide settings an operation may read (session lifetime, cookie security).
public struct HTTPSettings: Sendable {
    /// How long a token from `POST /v1/sessions` stays valid.
    public var sessionLifetime: Duration
    /// Whether the listener speaks TLS: cookies are then marked Secure.
    public var secure: Bool

    public init(sessionLifetime: Duration = .seconds(8 * 3600), secure: Bool = false) {
        self.sessionLifetime = sessionLifetime
        self.secure = secure
    }
}
