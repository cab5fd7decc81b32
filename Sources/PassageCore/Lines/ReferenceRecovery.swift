/// Finds the `ref` of a line that failed to decode, so that its error line can still say which
/// case it was. Best effort: reads the top-level object as far as it is well formed and returns
/// the reference if exactly one valid `ref` was seen by then.
enum ReferenceRecovery {
    static func reference(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var json = JSONByteReader(bytes)
        var found: String?
        var ambiguous = false
        func result() -> String? { ambiguous ? nil : found }

        json.skipByteOrderMark()
        json.skipWhitespace()
        guard json.consume(UInt8(ascii: "{")) else { return nil }
        json.skipWhitespace()
        if json.consume(UInt8(ascii: "}")) { return nil }
        while true {
            json.skipWhitespace()
            guard let key = try? json.readString() else { return result() }
            json.skipWhitespace()
            guard json.consume(UInt8(ascii: ":")) else { return result() }
            json.skipWhitespace()
            let isRef = key.withBytes { $0.elementsEqual("ref".utf8) }
            if isRef && json.kindOfNextValue() == .string {
                guard let value = try? json.readString() else { return result() }
                if found != nil { ambiguous = true }
                found = try? value.withBytes { bytes throws(CaseFactsError) in
                    try ReferenceRules.validated(bytes, key: .ref)
                }
            } else {
                if isRef { ambiguous = true }
                guard (try? json.skipValue()) != nil else { return result() }
            }
            json.skipWhitespace()
            guard json.consume(UInt8(ascii: ",")) else { return result() }
        }
    }
}
