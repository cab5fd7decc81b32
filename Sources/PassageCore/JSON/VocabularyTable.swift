/// A fixed vocabulary (field names, enumeration ids) matched directly against input bytes, so
/// that reading a line never builds a String just to compare it. Each entry also has a small
/// index, used as a bit position to detect repeated values and keys.
struct VocabularyTable<Value: Sendable>: Sendable {
    /// All ids' bytes, one after the other: one contiguous buffer keeps the hot lookup free of
    /// per-entry reference counting.
    private let storage: [UInt8]
    private let starts: [Int]
    private let lengths: [Int]
    private let values: [Value]

    /// The ids in the order given, for error messages that list what is allowed.
    let ids: [String]

    init(_ pairs: [(String, Value)]) {
        precondition(pairs.count <= 64, "a vocabulary index is a bit in a 64-bit set")
        var storage: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        for (id, _) in pairs {
            starts.append(storage.count)
            lengths.append(id.utf8.count)
            storage.append(contentsOf: id.utf8)
        }
        self.storage = storage
        self.starts = starts
        self.lengths = lengths
        self.values = pairs.map(\.1)
        self.ids = pairs.map(\.0)
    }

    /// The value and its index, or nil when the bytes are not in the vocabulary.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Value, index: Int)? {
        let count = bytes.count
        guard count > 0 else { return nil }
        let found: Int? = storage.withUnsafeBufferPointer { storage in
            starts.withUnsafeBufferPointer { starts in
                lengths.withUnsafeBufferPointer { lengths in
                    for index in 0..<lengths.count where lengths[index] == count {
                        let start = starts[index]
                        guard storage[start] == bytes[0] else { continue }
                        var offset = 1
                        while offset < count && storage[start + offset] == bytes[offset] { offset += 1 }
                        if offset == count { return index }
                    }
                    return nil
                }
            }
        }
        guard let found else { return nil }
        return (values[found], found)
    }

    func lookup(_ text: String) -> (value: Value, index: Int)? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { lookup($0) }
    }

    /// The bit of `value`'s index (0 when it is not in the table).
    func bit(of value: Value) -> UInt64 where Value: Equatable {
        guard let index = values.firstIndex(of: value) else { return 0 }
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
