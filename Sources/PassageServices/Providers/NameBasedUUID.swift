import Crypto
import Foundation

/// RFC 9562 name-based UUIDs (version 5, SHA-1): the same name always gives the same UUID. The
/// HSDS package's rows that only link others (attribute, service_area, service_at_location,
/// address, taxonomy_term, unit, service_capacity) take their ids from what they link, so an
/// export of an unchanged directory never changes.
enum NameBasedUUID {
    /// The namespace of Passage's HSDS package ids (a fixed random UUID).
    static let hsdsNamespace = UUID(uuidString: "8d0f6a52-3c1e-4b7a-9f2d-5e6c7a8b9c0d")!

    static func hsds(_ name: String) -> String { make(name, in: hsdsNamespace) }

    static func make(_ name: String, in namespace: UUID) -> String {
        var input = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        input += Array(name.utf8)
        var bytes = Array(Insecure.SHA1.hash(data: input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }
}
