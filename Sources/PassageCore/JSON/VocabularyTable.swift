/// A fixed vocabulary (field names, enumeration ids) matched directly against input bytes, so
/// that reading a line never builds a String just to compare it. Each entry also has a small
/// index, used as a bit position to detect repeated values and keys.
struct VocabularyTable<Value: Sendable>: Sendable {
    private let entries: [(bytes: [UInt8], value: Value)]

    /// The ids in the order given, for error messages that list what is allowed.
    let ids: [String]

    init(_ pairs: [(String, Value)]) {
        precondition(pairs.count <= 64, "a vocabulary index is a bit in a 64-bit set")
        entries = pairs.map { (Array($0.0.utf8), $0.1) }
        ids = pairs.map(\.0)
    }

    /// The value and its index, or nil when the bytes are not in the vocabulary.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Value, index: Int)? {
        let count = bytes.count
        for index in entries.indices {
            let candidate = entries[index].bytes
            guard candidate.count == count else { continue }
            var equal = true
            for offset in 0..<count where candidate[offset] != bytes[offset] {
                equal = false
                break
            }
            if equal { return (entries[index].value, index) }
        }
        return nil
    }

    func lookup(_ text: String) -> (value: Value, index: Int)? {
        var text = text
        return text.withUTF8 { lookup($0) }
    }

    /// The bit of `value`'s index (0 when it is not in the table).
    func bit(of value: Value) -> UInt64 where Value: Equatable {
        guard let index = entries.firstIndex(where: { $0.value == value }) else { return 0 }
        return 1 << UInt64(index)
    }

    var allowedList: String { ids.joined(separator: ", ") }
}

extension VocabularyTable where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// A table of every case of an enumeration whose raw values are the contract's ids.
    init(allCasesOf type: Value.Type) {
        self.init(Value.allCases.map { ($0.rawValue, $0) })
    }
}
