import Foundation
import PassageCore
import PassageServices

/// `GET /v1/gaps/{kind}` in JSON: the release's published gap table, one object per row keyed by
/// column name (a count or figure not shown is null — never 0), with what it covers and every
/// protection applied (Docs/gaps.md).
struct GapsResource: Encodable, Sendable {
    let answer: GapsAnswer

    enum Keys: String, CodingKey {
        case kind, scope, organisation, release, period, k, question, columns, rows, protections
        case asOf = "as_of"
    }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: Keys.self)
        try out.encode(answer.kind.rawValue, forKey: .kind)
        switch answer.scope {
        case .everyOrganisation:
            try out.encode("every_organisation", forKey: .scope)
            try out.encode(String?.none, forKey: .organisation)
        case .organisation(let name):
            try out.encode("organisation", forKey: .scope)
            try out.encode(name, forKey: .organisation)
        }
        try out.encode(answer.release.dayText, forKey: .release)
        try out.encode(answer.release.period.rawValue, forKey: .period)
        try out.encode(answer.release.asOf, forKey: .asOf)
        try out.encode(answer.published.k, forKey: .k)
        try out.encode(QuestionResource(question: answer.question), forKey: .question)
        try out.encode(answer.published.columns.map(ColumnResource.init), forKey: .columns)
        let names = answer.published.columns.map(\.name)
        try out.encode(answer.published.rows.map { RowResource(names: names, cells: $0) }, forKey: .rows)
        try out.encode(answer.published.protections.map(ProtectionResource.init), forKey: .protections)
    }

    struct QuestionResource: Encodable, Sendable {
        let question: GapQuestion

        enum Keys: String, CodingKey { case by, area, category, days }

        func encode(to encoder: any Encoder) throws {
            var out = encoder.container(keyedBy: Keys.self)
            try out.encode(question.dimensions.map(\.rawValue), forKey: .by)
            try out.encode(question.area, forKey: .area)
            try out.encode(question.category?.rawValue, forKey: .category)
            try out.encode(question.days, forKey: .days)
        }

        static let schema = JSONSchema.object(
            [
                ("by", .array(of: .string(choices: GapDimension.names), description: "the dimensions asked for")),
                ("area", .nullable(.string())), ("category", .nullable(.string())), ("days", .integer()),
            ], required: ["by", "area", "category", "days"], description: "the question as asked")
    }

    struct ColumnResource: Encodable, Sendable {
        let column: GapColumn

        enum Keys: String, CodingKey { case name, content }

        func encode(to encoder: any Encoder) throws {
            var out = encoder.container(keyedBy: Keys.self)
            try out.encode(column.name, forKey: .name)
            try out.encode(Self.content(column.content), forKey: .content)
        }

        static func content(_ content: GapColumn.Content) -> String {
            switch content {
            case .dimension: "dimension"
            case .label: "label"
            case .count: "count"
            case .registry: "registry"
            case .share: "share"
            case .hours: "hours"
            }
        }

        static let contents = ["dimension", "label", "count", "registry", "share", "hours"]

        static let schema = JSONSchema.object(
            [
                ("name", .string()),
                (
                    "content",
                    .string(
                        description:
                            "dimension or label (text); count (published, null when suppressed); registry (provider registry figure, null when none stated); share or hours (null when withheld)",
                        choices: contents)
                ),
            ], required: ["name", "content"])
    }

    /// One row: each column's value by name; counts and figures not shown are null.
    struct RowResource: Encodable, Sendable {
        let names: [String]
        let cells: [GapCell]

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var out = encoder.container(keyedBy: Key.self)
            for (name, cell) in zip(names, cells) {
                let key = Key(stringValue: name)
                switch cell {
                case .text(let text): try out.encode(text, forKey: key)
                // Explicit nulls: a suppressed count is not a zero.
                case .count(let count): try out.encode(count, forKey: key)
                case .figure(let figure): try out.encode(figure.flatMap { $0.isFinite ? $0 : nil }, forKey: key)
                }
            }
        }
    }

    static let schema = JSONSchema.object(
        [
            ("kind", .string(choices: GapKind.allCases.map(\.rawValue))),
            (
                "scope",
                .string(description: "whose rows were counted", choices: ["organisation", "every_organisation"])
            ),
            (
                "organisation",
                .nullable(.string(description: "the analyst's organisation; null for every organisation"))
            ),
            ("release", .string(description: "the release read: the start of its period (YYYY-MM-DD)")),
            (
                "period",
                .string(description: "the release period", choices: StatisticsReleasePeriod.allCases.map(\.rawValue))
            ),
            (
                "as_of",
                .string(description: "the counts are as of this instant, the release's boundary", format: "date-time")
            ),
            ("k", .integer(description: "the smallest count shown", minimum: 5)),
            ("question", QuestionResource.schema),
            ("columns", .array(of: ColumnResource.schema)),
            (
                "rows",
                .array(
                    of: .map(
                        values: .any(
                            description: "text, a number, or null when suppressed or withheld (never 0 for it)")),
                    description:
                        "one object per row, keyed by column name; rows with every count suppressed are left out")
            ),
            ("protections", .array(of: ProtectionResource.schema, description: "every protection applied")),
        ],
        required: [
            "kind", "scope", "organisation", "release", "period", "as_of", "k", "question", "columns", "rows",
            "protections",
        ])
}
