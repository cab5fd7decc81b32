/// A piece of SQL written in the source code (a column list shared by several queries), never
/// built from a runtime value: it can only be made from a string literal, so interpolating it
/// cannot smuggle input into the statement text.
public struct SQLFragment: Sendable {
    public let sql: String
    public init(_ literal: StaticString) { sql = "\(literal)" }
}

extension PostgresQuery.StringInterpolation {
    public mutating func appendInterpolation(_ fragment: SQLFragment) {
        appendLiteral(fragment.sql)
    }
}
