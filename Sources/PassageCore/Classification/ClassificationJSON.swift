extension Classification {
    /// The result line of contract section 4 (without the line feed): compact JSON, keys in the
    /// contract's order, so that the same facts give byte-identical output everywhere.
    public var resultJSON: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendResultJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the result line (without the line feed) to `bytes`.
    public func appendResultJSON(to bytes: inout [UInt8]) {
        appendResultPrefix(to: &bytes)
        appendResultSuffix(to: &bytes)
    }

    /// `{"ref":"…"` — the only part that differs between cases of the same shape.
    func appendResultPrefix(to bytes: inout [UInt8]) {
        JSONByteWriter.appendRaw("{\"ref\":", to: &bytes)
        JSONByteWriter.appendString(ref, to: &bytes)
    }

    /// Everything after the ref, from `,"primary":` to the closing brace.
    func appendResultSuffix(to bytes: inout [UInt8]) {
        JSONByteWriter.appendRaw(",\"primary\":\"", to: &bytes)
        JSONByteWriter.appendRaw(primaryID, to: &bytes)

        JSONByteWriter.appendRaw("\",\"categories\":[", to: &bytes)
        for (index, finding) in findings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(finding.category.rawValue, to: &bytes)
        }

        JSONByteWriter.appendRaw("],\"subcategories\":{", to: &bytes)
        for (index, finding) in findings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(finding.category.rawValue, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendQuoted(finding.subcategory.id, to: &bytes)
        }

        JSONByteWriter.appendRaw("},\"basis\":{", to: &bytes)
        for (index, finding) in findings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(finding.category.rawValue, to: &bytes)
            JSONByteWriter.appendRaw(":[", to: &bytes)
            for (codeIndex, code) in finding.basis.enumerated() {
                if codeIndex > 0 { bytes.append(UInt8(ascii: ",")) }
                appendQuoted(code.rawValue, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }

        JSONByteWriter.appendRaw("},\"regular\":", to: &bytes)
        JSONByteWriter.appendOptionalBool(regular, to: &bytes)
        JSONByteWriter.appendRaw(",\"institutional\":", to: &bytes)
        JSONByteWriter.appendOptionalBool(institutional, to: &bytes)
        JSONByteWriter.appendRaw(",\"review\":", to: &bytes)
        JSONByteWriter.appendBool(review, to: &bytes)

        JSONByteWriter.appendRaw(",\"notes\":[", to: &bytes)
        for (index, note) in notes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(note.rawValue, to: &bytes)
        }
        JSONByteWriter.appendRaw("],\"missing\":[", to: &bytes)
        for (index, fact) in missing.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(fact.rawValue, to: &bytes)
        }
        JSONByteWriter.appendRaw("]}", to: &bytes)
    }

    /// Contract ids are plain ASCII and need no escaping.
    private func appendQuoted(_ id: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        JSONByteWriter.appendRaw(id, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
