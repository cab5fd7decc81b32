/// Classifies JSON Lines fed in chunks of any size (contract section 5): one output line per
/// input line, in order. Only the current unfinished line is kept between chunks, so memory
/// stays flat however long the input; a line longer than `maximumLineLength` is refused rather
/// than buffered. Pure: the caller does the reading and writing.
public struct ClassificationStream {
    /// A line that could not be classified.
    public struct LineError: Error, Sendable, Hashable, CustomStringConvertible {
        /// 1-based.
        public let line: Int
        /// The line's `ref`, when it could still be read.
        public let ref: String?
        public let error: CaseFactsError

        /// For standard error: `line 3 (ref c-17): age: 131 is out of range (0 to 130)`.
        public var description: String {
            "line \(line)\(ref.map { " (ref \($0))" } ?? ""): \(error.message)"
        }
    }

    /// Far beyond any real case (a full line is well under 2 KB), small enough to never matter.
    public static let defaultMaximumLineLength = 1 << 20

    public let classifier: Classifier
    public let maximumLineLength: Int
    /// Lines finished so far.
    public private(set) var lineCount = 0
    /// Lines refused so far.
    public private(set) var errorCount = 0

    private var pending: [UInt8] = []
    /// Result-line bytes after the ref, by shape (see `Classification.shapeCode`); bounded, so
    /// memory stays flat even on adversarial input.
    private var suffixes: [UInt64: [UInt8]] = [:]
    private static let maximumShapes = 4096
    private var pendingTooLong = false

    public init(classifier: Classifier = Classifier(), maximumLineLength: Int = defaultMaximumLineLength) {
        self.classifier = classifier
        self.maximumLineLength = maximumLineLength
    }

    /// Classifies every line completed by `chunk`, appending result lines (each ending in LF) to
    /// `output` and reporting refused lines to `onError` (their error lines go to `output` too).
    public mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8],
        onError: (LineError) -> Void
    ) {
        var start = 0
        let end = chunk.count
        while start < end {
            let newline = Self.indexOfLineFeed(in: chunk, from: start)
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<newline])
            if newline == end {
                keep(piece)
                return
            }
            if pending.isEmpty && !pendingTooLong {
                finishLine(piece, into: &output, onError: onError)
            } else {
                keep(piece)
                finishPendingLine(into: &output, onError: onError)
            }
            start = newline + 1
        }
    }

    /// The index of the next LF at or after `start`, or `chunk.count`. Eight bytes at a time
    /// (the classic "has a zero byte" test on the word XOR "\n\n\n\n\n\n\n\n"), because this scan
    /// touches every byte of the input once more than the parser does.
    static func indexOfLineFeed(in chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let end = chunk.count
        guard let base = chunk.baseAddress else { return end }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var index = start
        while index + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ lineFeeds
            if (word &- ones) & ~word & highBits != 0 { break }
            index += 8
        }
        while index < end && base[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    public mutating func feed(_ chunk: [UInt8], into output: inout [UInt8], onError: (LineError) -> Void) {
        chunk.withUnsafeBufferPointer { feed($0, into: &output, onError: onError) }
    }

    /// Classifies a last line that had no line feed, if any.
    public mutating func finish(into output: inout [UInt8], onError: (LineError) -> Void) {
        if !pending.isEmpty || pendingTooLong {
            finishPendingLine(into: &output, onError: onError)
        }
    }

    private mutating func keep(_ piece: UnsafeBufferPointer<UInt8>) {
        guard !pendingTooLong else { return }
        if pending.count + piece.count > maximumLineLength {
            pendingTooLong = true
            pending = []
        } else {
            pending.append(contentsOf: piece)
        }
    }

    private mutating func finishPendingLine(into output: inout [UInt8], onError: (LineError) -> Void) {
        let line = pending
        pending.removeAll(keepingCapacity: true)
        if pendingTooLong {
            pendingTooLong = false
            lineCount += 1
            refuse(
                CaseFactsError(key: nil, problem: .lineTooLong(limit: maximumLineLength)), ref: nil,
                into: &output, onError: onError)
        } else {
            line.withUnsafeBufferPointer { finishLine($0, into: &output, onError: onError) }
        }
    }

    private mutating func finishLine(
        _ line: UnsafeBufferPointer<UInt8>, into output: inout [UInt8],
        onError: (LineError) -> Void
    ) {
        lineCount += 1
        var line = line
        if lineCount == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line = UnsafeBufferPointer(rebasing: line[3...])  // a byte order mark is not content
        }
        guard line.count <= maximumLineLength else {
            refuse(
                CaseFactsError(key: nil, problem: .lineTooLong(limit: maximumLineLength)), ref: nil,
                into: &output, onError: onError)
            return
        }
        do {
            let facts = try CaseFacts.decode(utf8: line)
            appendResultLine(classifier.classify(facts), to: &output)
        } catch {
            refuse(error, ref: ReferenceRecovery.reference(in: line), into: &output, onError: onError)
        }
    }

    /// Writes the result line, reusing the bytes already written for the same shape.
    private mutating func appendResultLine(_ classification: Classification, to output: inout [UInt8]) {
        classification.appendResultPrefix(to: &output)
        if let shape = classification.shapeCode {
            if let suffix = suffixes[shape] {
                output.append(contentsOf: suffix)
            } else if suffixes.count < Self.maximumShapes {
                var suffix: [UInt8] = []
                classification.appendResultSuffix(to: &suffix)
                suffix.append(UInt8(ascii: "\n"))
                suffixes[shape] = suffix
                output.append(contentsOf: suffix)
            } else {
                classification.appendResultSuffix(to: &output)
                output.append(UInt8(ascii: "\n"))
            }
        } else {
            classification.appendResultSuffix(to: &output)
            output.append(UInt8(ascii: "\n"))
        }
    }

    private mutating func refuse(
        _ error: CaseFactsError, ref: String?, into output: inout [UInt8],
        onError: (LineError) -> Void
    ) {
        errorCount += 1
        let lineError = LineError(line: lineCount, ref: ref, error: error)
        lineError.appendErrorLine(to: &output)
        output.append(UInt8(ascii: "\n"))
        onError(lineError)
    }
}

extension ClassificationStream.LineError {
    /// `{"ref":…,"line":N,"error":"…"}` (contract section 5), `ref` null when not known.
    public var errorLineJSON: String {
        var bytes: [UInt8] = []
        appendErrorLine(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public func appendErrorLine(to bytes: inout [UInt8]) {
        JSONByteWriter.appendRaw("{\"ref\":", to: &bytes)
        if let ref {
            JSONByteWriter.appendString(ref, to: &bytes)
        } else {
            JSONByteWriter.appendRaw("null", to: &bytes)
        }
        JSONByteWriter.appendRaw(",\"line\":", to: &bytes)
        JSONByteWriter.appendInt(line, to: &bytes)
        JSONByteWriter.appendRaw(",\"error\":", to: &bytes)
        JSONByteWriter.appendString(error.message, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
