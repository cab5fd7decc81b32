import Foundation

/// A SQL statement whose values are always bound parameters.
///
/// `"SELECT name FROM cases WHERE id = \(id)"` becomes `SELECT name FROM cases WHERE id = $1`
/// with `id` sent separately, so no value is ever spliced into SQL text. Table or column names
/// that must vary go through `\(identifier:)` (quoted) or `\(unescaped:)` (checked to be a plain
/// identifier); anything else there marks the query invalid and it is refused when run.
public struct PostgresQuery: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]
    /// Why the query must not be run (an unsafe identifier was interpolated), if any.
    public private(set) var invalidReason: String?

    /// Builds a query from SQL text written by the programmer and already-built binds.
    /// The SQL must refer to the binds as $1, $2, …
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
        self.invalidReason = nil
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
        self.invalidReason = stringInterpolation.invalidReason
    }

    public var description: String {
        "\(sql) [\(binds.count) parameter\(binds.count == 1 ? "" : "s")]"
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        @usableFromInline var sql: String
        @usableFromInline var binds: [PostgresBind]
        var invalidReason: String?

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value: becomes the next `$n` placeholder. Inlinable (as the optional overload) so
        /// each interpolation is specialised for its type where the query is written, instead
        /// of encoding through run-time generics (about 4 % of the server's CPU per REFER).
        @inlinable
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// An optional value: nil is sent as SQL NULL. (A separate overload, so the compiler
        /// does not warn about interpolating an Optional.)
        @inlinable
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(PostgresBind(value))
            sql += "$\(binds.count)"
        }

        /// A table or column name chosen by the program, inserted as-is. Only plain
        /// identifiers (letters, digits, `_`, optionally schema-qualified with `.`) are allowed,
        /// because this text is not a bound value.
        public mutating func appendInterpolation(unescaped identifier: String) {
            if PostgresQuery.isPlainIdentifier(identifier) {
                sql += identifier
            } else {
                sql += "<invalid identifier>"
                invalidReason =
                    invalidReason
                    ?? "\\(unescaped:) accepts only plain identifiers, got \"\(identifier)\""
            }
        }

        /// Any name, double-quoted with embedded quotes doubled (PostgreSQL's identifier quoting).
        public mutating func appendInterpolation(identifier: String) {
            if identifier.isEmpty || identifier.utf8.contains(0) {
                sql += "<invalid identifier>"
                invalidReason = invalidReason ?? "an identifier must be non-empty and contain no NUL"
            } else {
                sql += "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
        }
    }

    static func isPlainIdentifier(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 3 else { return false }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, part.utf8.count <= 63 else { return false }
            let isStart = (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") || first == "_"
            return isStart
                && part.unicodeScalars.allSatisfy {
                    ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                        || $0 == "_"
                }
        }
    }
}
