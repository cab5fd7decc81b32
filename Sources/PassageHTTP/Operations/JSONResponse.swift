import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Answers of the API: JSON bodies with stable key order, and the headers the operations use.
public enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// `value` as JSON with `status`; `etag` sets the entity tag of a versioned resource.
    public static func make<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, etag: String? = nil, location: String? = nil
    ) throws -> Response {
        let data = try encoder.encode(value)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        // Case contents are personal data: no shared or browser cache keeps them.
        fields[.cacheControl] = "no-store"
        if let etag { fields[.eTag] = etag }
        if let location { fields[.location] = location }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A body-less answer (204).
    public static func empty(_ status: HTTPResponse.Status = .noContent) -> Response {
        var fields = HTTPFields()
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields)
    }

    /// A text body (CSV, HXL) with its media type.
    public static func text(_ text: String, contentType: String, filename: String? = nil) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = "no-store"
        if let filename { fields[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Optimistic concurrency on versioned records: the entity tag is the record's version, an
/// update must send it back in `If-Match` (issue 20).
public enum EntityTag {
    public static func of(version: Int) -> String { "\"v\(version)\"" }

    /// The version an `If-Match` header names; a missing header is 428, a malformed one 400.
    public static func expectedVersion(_ call: APICall) throws(Problem) -> Int {
        guard let header = call.header(.ifMatch) else {
            throw Problem(
                .preconditionRequired, type: "/problems/if-match-required", title: "If-Match required",
                detail:
                    "send the ETag of the version you changed in If-Match, so a concurrent change is not overwritten")
        }
        let text = header.trimmingCharacters(in: .whitespaces)
        let bare = text.hasPrefix("W/") ? String(text.dropFirst(2)) : text
        guard bare.hasPrefix("\"v"), bare.hasSuffix("\""), let version = Int(bare.dropFirst(2).dropLast()), version > 0
        else {
            throw Problem.badArgument("If-Match", "must be an ETag this API gave, such as \"v3\"")
        }
        return version
    }

    /// A stale version: 412, the status RFC 9110 gives a failed If-Match.
    public static func stale(_ detail: String) -> Problem {
        Problem(
            .preconditionFailed, type: "/problems/stale-version", title: "Changed by someone else",
            detail: detail)
    }
}
