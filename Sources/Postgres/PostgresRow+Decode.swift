// Typed row decoding: a row read whole into a tuple of Swift types, in column order, as
// postgres-nio's `row.decode((Int, String, Date).self)` does. The tuple names the row's shape in
// one place, so a SELECT list that gains, loses or reorders a column fails loudly (with the
// column's position, name and the type that was expected) instead of reading a neighbour.

extension PostgresRow {
    /// Decodes every column of the row, in order, into the tuple `types`:
    ///
    ///     let (id, name, due) = try row.decode((Int64, String, Date?).self)
    ///
    /// NULL decodes only into an Optional. Throws `PostgresError.decoding` (naming the column's
    /// index, name and the expected type) when a value does not fit its type, and
    /// `PostgresError.noSuchColumn` when the row does not have exactly as many columns as
    /// `types` has elements.
    @inlinable
    public func decode<each Column: PostgresDecodable>(
        _ types: (repeat each Column).Type
    ) throws -> (repeat each Column) {
        let wanted = Self.count(repeat (each Column).self)
        guard wanted == columnCount else {
            throw PostgresError.noSuchColumn(
                "for a tuple of \(wanted): the row has \(columnCount) columns (\(rows.columns.joined(separator: ", ")))"
            )
        }
        var column = 0
        return (repeat try decodeNext((each Column).self, column: &column))
    }

    /// Decodes a row of one column: `try row.decode(Int64.self)`. The same checks as the
    /// tuple form (it is the tuple of one, spelled without parentheses).
    @inlinable
    public func decode<T: PostgresDecodable>(_ type: T.Type) throws -> T {
        guard columnCount == 1 else {
            throw PostgresError.noSuchColumn(
                "for one value: the row has \(columnCount) columns (\(rows.columns.joined(separator: ", ")))")
        }
        return try decode(T.self, at: 0)
    }

    /// Decodes the column `first` alone, in a row that goes on around it.
    @inlinable
    public func decode<T: PostgresDecodable>(_ type: T.Type, startingAt first: Int) throws -> T {
        try decode(T.self, at: first)
    }

    /// Decodes the columns from `first` on, in order, into the tuple `types`; the row may go on
    /// after them. For a row made of parts (a referral followed by its earlier decision, a view
    /// followed by the sealed contact details only some readers ask for), each part read by its
    /// own decoder.
    @inlinable
    public func decode<each Column: PostgresDecodable>(
        _ types: (repeat each Column).Type, startingAt first: Int
    ) throws -> (repeat each Column) {
        let wanted = Self.count(repeat (each Column).self)
        guard first >= 0, first + wanted <= columnCount else {
            throw PostgresError.noSuchColumn(
                "for a tuple of \(wanted) from index \(first): the row has \(columnCount) columns")
        }
        var column = first
        return (repeat try decodeNext((each Column).self, column: &column))
    }

    @inlinable
    func decodeNext<T: PostgresDecodable>(_ type: T.Type, column: inout Int) throws -> T {
        defer { column += 1 }
        return try decode(T.self, at: column)
    }

    @inlinable
    static func count<each T>(_ types: repeat (each T).Type) -> Int {
        var count = 0
        for _ in repeat each types { count += 1 }
        return count
    }
}
