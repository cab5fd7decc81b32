import CLibPQ

/// The rows of one statement, copied out of libpq's result so the PGresult can be freed at
/// once (no result outlives the call that produced it). Values are kept in their text form
/// and decoded on access.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names, in order.
    public let columns: [String]
    /// Column type OIDs, in order.
    public let columnTypes: [PostgresDataType]
    /// Rows affected by INSERT/UPDATE/DELETE (or returned by SELECT), from the command tag.
    public let affectedRows: Int
    /// The command tag, e.g. "INSERT 0 1".
    public let commandTag: String

    @usableFromInline let storage: [UInt8]
    /// Per cell: start offset in `storage`, or -1 for NULL; cell i,j is at i*columnCount+j.
    @usableFromInline let cellStarts: [Int]
    @usableFromInline let cellLengths: [Int]
    let rowCount: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(rows: self, index: position) }

    /// Copies everything out of `result` (which the caller still owns and clears).
    init(result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [String] = []
        var types: [PostgresDataType] = []
        columns.reserveCapacity(columnCount)
        types.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?")
            types.append(PostgresDataType(PQftype(result, Int32(column))))
        }
        var total = 0
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                total += Int(PQgetlength(result, Int32(row), Int32(column)))
            }
        }
        var storage: [UInt8] = []
        storage.reserveCapacity(total)
        var starts: [Int] = []
        var lengths: [Int] = []
        starts.reserveCapacity(rowCount * columnCount)
        lengths.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                    starts.append(-1)
                    lengths.append(0)
                    continue
                }
                let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                starts.append(storage.count)
                lengths.append(length)
                if length > 0, let value = PQgetvalue(result, Int32(row), Int32(column)) {
                    storage.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                }
            }
        }
        self.columns = columns
        self.columnTypes = types
        self.storage = storage
        self.cellStarts = starts
        self.cellLengths = lengths
        self.rowCount = rowCount
        self.commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        self.affectedRows = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }
}

/// One row of a result.
public struct PostgresRow: Sendable {
    @usableFromInline let rows: PostgresRows
    @usableFromInline let index: Int

    public var columnCount: Int { rows.columns.count }

    /// Low-level accessor: reads column `column` (0-based) as `T`; NULL decodes only into an
    /// Optional. For rows whose width is known only at run time (a GROUPING SETS query with a
    /// column per chosen dimension); a row of fixed shape is read whole with `decode(_:)`.
    /// Inlinable so that each call is specialised for its type in the calling module: as a
    /// generic call it looked up type metadata at run time for every column (about 5 % of the
    /// server's CPU per REFER, Docs/performance.md).
    @inlinable
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        guard column >= 0, column < rows.columns.count else {
            throw PostgresError.noSuchColumn("at index \(column) (the result has \(rows.columns.count))")
        }
        let cell = index * rows.columns.count + column
        let start = rows.cellStarts[cell]
        let name = rows.columns[column]
        let columnType = rows.columnTypes[column]
        guard start >= 0 else {
            guard let null = T.decodedNull else {
                throw PostgresError.decoding(column: name, index: column, expected: "\(T.self)", got: "NULL")
            }
            return null
        }
        let length = rows.cellLengths[cell]
        let decoded = rows.storage.withUnsafeBytes { all in
            T.decode(
                postgresText: UnsafeRawBufferPointer(rebasing: all[start..<start + length]), type: columnType)
        }
        guard let decoded else {
            let preview = rows.storage[start..<start + min(length, 40)]
            throw PostgresError.decoding(
                column: name, index: column, expected: "\(T.self)",
                got: "\(columnType) '\(String(decoding: preview, as: UTF8.self))\(length > 40 ? "…" : "")'")
        }
        return decoded
    }

    /// Reads the first column called `name`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, named name: String) throws -> T {
        guard let column = rows.columns.firstIndex(of: name) else {
            throw PostgresError.noSuchColumn("\"\(name)\" (columns: \(rows.columns.joined(separator: ", ")))")
        }
        return try decode(type, at: column)
    }

    /// True when the column is SQL NULL (low-level, like `decode(_:at:)`: for rows of run-time width).
    public func isNull(at column: Int) -> Bool {
        guard column >= 0, column < rows.columns.count else { return false }
        return rows.cellStarts[index * rows.columns.count + column] < 0
    }
}
