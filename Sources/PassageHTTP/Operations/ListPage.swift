import Foundation

/// One page of a list (Docs/http-api.md "Lists"): `{"items": [...], "next_cursor": "..." | null}`.
/// Lists run in id order; the cursor is the last id of the page, base64url-encoded so clients
/// treat it as opaque (the order may gain other keys later without breaking them).
public struct ListPage<Item: Encodable & Sendable>: Encodable, Sendable {
    public let items: [Item]
    public let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    /// `next_cursor` is always present: null says this is the last page.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    /// A page of at most `limit` items: a full page says where the next one starts (it may be
    /// empty), a shorter one is the last.
    public init(items: [Item], limit: Int, lastID: (Item) -> Int64) {
        self.items = items
        self.nextCursor = items.count >= limit ? items.last.map { ListCursor.text(after: lastID($0)) } : nil
    }

    /// A list that is never paged (a case's owners, the duplicate review queue): every item,
    /// `next_cursor` null — the same shape as a paged list, so clients read both alike.
    public static func whole(_ items: [Item]) -> ListPage {
        ListPage(items: items, nextCursor: nil)
    }

    private init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    public static func schema(of item: JSONSchema) -> JSONSchema {
        .object(
            [
                ("items", .array(of: item)),
                (
                    "next_cursor",
                    .nullable(.string(description: "pass as ?cursor= for the next page; null on the last page"))
                ),
            ], required: ["items", "next_cursor"])
    }
}

/// The `?limit=` and `?cursor=` of a list.
public struct ListCursor: Sendable, Equatable {
    /// Items with a larger id than this; nil: from the first.
    public let after: Int64?
    public let limit: Int

    public static let limits = 1...200
    public static let defaultLimit = 50

    /// The opaque text of a cursor that continues after `id`.
    public static func text(after id: Int64) -> String {
        Data(String(id).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The id a cursor continues after; nil when it is not one this API gave.
    public static func id(of text: String) -> Int64? {
        guard text.count <= 32 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let digits = String(data: data, encoding: .utf8),
            let id = Int64(digits), id > 0
        else { return nil }
        return id
    }

    /// The query parameters every list takes, as the document describes them.
    public static let parameters: [APIOperation.Parameter] = [
        .query(
            "limit", "at most this many items (default \(defaultLimit))",
            schema: .integer(minimum: limits.lowerBound, maximum: limits.upperBound)),
        .query("cursor", "the next_cursor of the previous page"),
    ]
}

extension APICall {
    /// `?limit=` (1…200, default 50) and `?cursor=`; a cursor this API did not give is a 400.
    public func listCursor() throws(Problem) -> ListCursor {
        let limit = try query("limit", in: ListCursor.limits, default: ListCursor.defaultLimit)
        guard let text = query("cursor") else { return ListCursor(after: nil, limit: limit) }
        guard let id = ListCursor.id(of: text) else {
            throw Problem.badArgument("cursor", "must be the next_cursor of a previous page, unchanged")
        }
        return ListCursor(after: id, limit: limit)
    }
}
