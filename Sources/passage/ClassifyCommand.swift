import ArgumentParser
import PassageCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `passage classify [FILE|-] [--jurisdictions FILE]` — contract case-facts.md (v2) section 5;
/// `passage classify --version` prints the classifier version string. Reads case facts as JSON Lines and writes one result line per input line, in order,
/// with no database. Reads and writes in large blocks with plain system calls, so that memory stays
/// flat and a million lines take seconds.
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify case facts (JSON Lines) without a database.",
        discussion: """
            Writes one JSON result line per input line, in order (contract case-facts.md, section 4). \
            A line that cannot be read gives {"ref":…,"line":N,"error":"…"} in its place, a message \
            on standard error, and exit status 1 at the end; the other lines are still classified.

            An empty line is an error ("empty line"), so output line N always answers input line N.
            """,
        // `passage classify --version`: the version recorded with every stored classification.
        version: Classifier.version
    )

    @Argument(help: "A JSON Lines file of case facts, or - for standard input.")
    var file: String = "-"

    @Option(
        help: ArgumentHelp(
            "A JSON file listing the countries applying the regional refugee definitions, replacing the defaults.",
            discussion: #"Format: {"oau1969":["AO",…],"cartagena1984":["AR",…]}; both keys required."#,
            valueName: "file"))
    var jurisdictions: String?

    /// Reads and writes in blocks of this size.
    private static let blockSize = 1 << 20

    func run() throws {
        let classifier = Classifier(jurisdictions: try loadJurisdictions())
        let input = try openInput()
        defer { if input != STDIN_FILENO { close(input) } }

        var stream = ClassificationStream(classifier: classifier)
        var output: [UInt8] = []
        output.reserveCapacity(Self.blockSize * 2)
        var diagnostics: [UInt8] = []
        let reportError = { (lineError: ClassificationStream.LineError) in
            diagnostics.append(contentsOf: "passage classify: \(lineError)\n".utf8)
        }

        let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Self.blockSize)
        defer { block.deallocate() }
        while true {
            let count = read(input, block.baseAddress, Self.blockSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read \(displayName): \(systemError())")
            }
            if count == 0 { break }
            stream.feed(UnsafeBufferPointer(rebasing: block[..<count]), into: &output, onError: reportError)
            if output.count >= Self.blockSize { try flush(&output, to: STDOUT_FILENO) }
            if !diagnostics.isEmpty { try flush(&diagnostics, to: STDERR_FILENO) }
        }
        stream.finish(into: &output, onError: reportError)
        try flush(&output, to: STDOUT_FILENO)
        try flush(&diagnostics, to: STDERR_FILENO)

        if stream.errorCount > 0 {
            let summary =
                "passage classify: \(stream.errorCount) of \(stream.lineCount) lines could not be classified\n"
            var bytes = Array(summary.utf8)
            try flush(&bytes, to: STDERR_FILENO)
            throw ExitCode(1)
        }
    }

    private var displayName: String { file == "-" ? "standard input" : file }

    private func openInput() throws -> Int32 {
        if file == "-" { return STDIN_FILENO }
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw failure("cannot open \(file): \(systemError())") }
        return descriptor
    }

    private func loadJurisdictions() throws -> Jurisdictions {
        guard let path = jurisdictions else { return .default }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure("cannot open \(path): \(systemError())") }
        defer { close(descriptor) }
        // A jurisdictions file is a few hundred bytes; refuse anything absurd rather than read it.
        let limit = 1 << 20
        var contents: [UInt8] = []
        let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)
        defer { block.deallocate() }
        while true {
            let count = read(descriptor, block.baseAddress, block.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read \(path): \(systemError())")
            }
            if count == 0 { break }
            contents.append(contentsOf: block[..<count])
            if contents.count > limit { throw failure("\(path): larger than \(limit) bytes, not a jurisdictions file") }
        }
        do {
            return try Jurisdictions(jsonFile: contents)
        } catch {
            throw failure("\(path): \(error)")
        }
    }

    private func flush(_ bytes: inout [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write output: \(systemError())")
                }
                offset += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    private func systemError() -> String { String(cString: strerror(errno)) }

    private func failure(_ message: String) -> ClassifyFailure { ClassifyFailure(message: message) }
}

/// A file that cannot be opened, read or written: reported as one line, without the usage text.
struct ClassifyFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
