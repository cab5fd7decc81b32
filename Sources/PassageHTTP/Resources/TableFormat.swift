import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// The forms a published table is answered in (statistics, gaps, microdata): JSON by default,
/// CSV (`Accept: text/csv`), HXL (`Accept: text/csv; profile=hxl`) and an XLSX workbook (the
/// table, and the protections on a sheet of their own; PassageServices' PublishedWorkbooks). `?format=json|csv|hxl|xlsx`
/// overrides `Accept`, for links a browser follows (a download button cannot set headers).
/// Every form carries the same protections: JSON in its `protections` field, CSV and HXL in the
/// `Passage-Protections` header (Docs/http-api.md "Statistics").
enum TableFormat: String, CaseIterable, Sendable {
    case json, csv, hxl, xlsx

    /// The form asked for, among `offered`: `format=` first, then `Accept` (by preference, q=0
    /// excluded); no `Accept` or `*/*` is JSON. 400 for an unknown `format=`, 406 when `Accept`
    /// names only forms not offered.
    static func chosen(_ call: APICall, offered: [TableFormat] = TableFormat.allCases) throws(Problem) -> TableFormat {
        if let asked = call.query("format") {
            guard let format = TableFormat(rawValue: asked.lowercased()), offered.contains(format) else {
                throw Problem.badArgument("format", "must be one of " + offered.map(\.rawValue).joined(separator: ", "))
            }
            return format
        }
        guard let accept = call.header(.accept), !accept.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .json
        }
        for range in MediaRange.parse(accept) {
            if let format = range.format, offered.contains(format) { return format }
        }
        throw Problem(
            .notAcceptable, type: "/problems/not-acceptable", title: "No acceptable form",
            detail: "this resource is available as "
                + offered.map(\.mediaType).joined(separator: ", ") + " (or ?format="
                + offered.map(\.rawValue)
                .joined(separator: "|") + ")")
    }

    var mediaType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv"
        case .hxl: "text/csv; profile=hxl"
        case .xlsx: XLSXWorkbook.mediaType
        }
    }

    /// The `Content-Type` answered.
    var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8; header=present"
        case .hxl: "text/csv; charset=utf-8; header=present; profile=hxl"
        case .xlsx: XLSXWorkbook.mediaType
        }
    }

    /// `Vary: Accept` on every answer of a negotiated resource, so no cache mixes the forms.
    static let vary = "Accept"

    /// The `format` query parameter of the statistics and gaps tables.
    static let parameter = APIOperation.Parameter.query(
        "format", "json, csv, hxl or xlsx; overrides Accept (for download links)",
        schema: .string(choices: TableFormat.allCases.map(\.rawValue)))

    /// What every table operation can refuse besides bad input: no form the client accepts
    /// (406), and the user's heavy queries at once (429).
    static let refusals: [APIOperation.Answer] = [
        .init(406, "Accept names no form offered", content: [("application/problem+json", .reference("Problem"))]),
        .init(
            429, "Heavy-query limit reached (Retry-After)",
            content: [("application/problem+json", .reference("Problem"))]),
    ]

    /// One media range of `Accept` (RFC 9110 12.5.1), reduced to what the choice needs.
    struct MediaRange {
        let type: String
        let parameters: [String: String]
        let quality: Double
        let position: Int

        /// The ranges with q > 0, most preferred first (ties keep the client's order).
        static func parse(_ header: String) -> [MediaRange] {
            let ranges = header.split(separator: ",").enumerated().compactMap { position, part -> MediaRange? in
                let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let type = pieces.first?.lowercased(), !type.isEmpty else { return nil }
                var parameters: [String: String] = [:]
                for piece in pieces.dropFirst() {
                    let pair = piece.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    guard pair.count == 2 else { continue }
                    parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        .lowercased()
                }
                let quality = parameters["q"].flatMap(Double.init) ?? 1
                guard quality > 0 else { return nil }
                return MediaRange(type: type, parameters: parameters, quality: quality, position: position)
            }
            return ranges.sorted { ($0.quality, -$0.position) > ($1.quality, -$1.position) }
        }

        var format: TableFormat? {
            switch type {
            case "application/json", "application/*", "*/*": .json
            case "text/csv": parameters["profile"] == "hxl" ? .hxl : .csv
            case "text/*": .csv
            case XLSXWorkbook.mediaType: .xlsx
            default: nil
            }
        }
    }
}

/// The protections, release and budget of a table, as response headers of its CSV and HXL forms
/// (JSON carries the same in fields).
struct ProtectionHeaders {
    static let protections = HTTPField.Name("Passage-Protections")!
    static let release = HTTPField.Name("Passage-Release")!
    static let window = HTTPField.Name("Passage-Window")!
    static let counted = HTTPField.Name("Passage-Counted")!
    static let epsilonSpent = HTTPField.Name("Passage-Epsilon-Spent")!
    static let budgetLeft = HTTPField.Name("Passage-Budget-Left")!
    static let asOf = HTTPField.Name("Passage-As-Of")!
    static let scope = HTTPField.Name("Passage-Scope")!
    static let k = HTTPField.Name("Passage-K")!

    /// Documented answer headers (OpenAPI).
    static let documented: [(String, String)] = [
        (
            "Passage-Protections",
            "every protection applied, comma-separated, each as the console's `protection:` line (name, then name=value parameters)"
        ),
        ("Passage-Release", "the release read: its cutoff date (rows recorded before it)"),
        ("Passage-Window", "the rows counted: recorded in [start, end)"),
    ]

    /// `Passage-Protections`: the summaries joined by ", " (no summary holds a comma: names and
    /// values are codes and numbers).
    static func protectionsValue(_ protections: [AppliedProtection]) -> String {
        protections.map { fieldSafe($0.summary) }.joined(separator: ", ")
    }

    /// A header value keeps to visible ASCII and spaces; a comma would split the list.
    static func fieldSafe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (scalar.value >= 0x20 && scalar.value < 0x7F && scalar != ",") ? scalar : "?"
                }))
    }

    /// A CSV or HXL answer: the text, its form's media type, a file name to save it under, and
    /// the headers saying how it was protected.
    static func answer(
        _ lines: [String], format: TableFormat, filename: String, protections: [AppliedProtection],
        extra: [(HTTPField.Name, String)]
    ) -> Response {
        var response = JSONResponse.text(
            lines.joined(separator: "\r\n") + "\r\n", contentType: format.contentType, filename: filename)
        response.headers[Self.protections] = protectionsValue(protections)
        for (name, value) in extra { response.headers[name] = fieldSafe(value) }
        response.headers[.vary] = TableFormat.vary
        return response
    }

    /// An XLSX answer: the workbook's bytes, a file name, and the same headers as CSV.
    static func workbook(
        _ bytes: [UInt8], filename: String, protections: [AppliedProtection], extra: [(HTTPField.Name, String)]
    ) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = XLSXWorkbook.mediaType
        fields[.cacheControl] = "no-store"
        fields[.contentDisposition] = "attachment; filename=\"\(filename)\""
        fields[Self.protections] = protectionsValue(protections)
        for (name, value) in extra { fields[name] = fieldSafe(value) }
        fields[.vary] = TableFormat.vary
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// One applied protection in a JSON answer: its name, its parameters, and the one-line summary
/// the console prints (`small_cell_suppression k=5 zeros=suppressed …`).
struct ProtectionResource: Encodable, Sendable {
    let protection: AppliedProtection

    enum Keys: String, CodingKey { case name, parameters, summary }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(protection.name, forKey: .name)
        try out.encode(
            Dictionary(protection.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
            forKey: .parameters)
        try out.encode(protection.summary, forKey: .summary)
    }

    static let schema = JSONSchema.object(
        [
            (
                "name",
                .string(description: "as in Docs/anonymisation.md: small_cell_suppression, cell_key_perturbation …")
            ),
            ("parameters", .map(values: .string(), description: "its parameters, such as k, D, V, epsilon, release")),
            ("summary", .string(description: "name and parameters in one line, as the console's `protection:` lines")),
        ], required: ["name", "parameters", "summary"])
}
