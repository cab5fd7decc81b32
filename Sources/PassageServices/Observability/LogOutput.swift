import Foundation
import Logging

/// Where log lines go: standard error in the server (one write(2) per line, so lines of
/// concurrent tasks never interleave), or a closure in tests.
public struct LogOutput: Sendable {
    public let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public static let standardError = LogOutput { line in FileHandle.standardError.write(Data(line.utf8)) }
}

/// `--log-format`: text lines as swift-log's `StreamLogHandler` writes them, or JSON lines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    /// A handler of this format at `level`, for `LoggingSystem.bootstrap`.
    public func handler(label: String, level: Logger.Level, output: LogOutput = .standardError) -> any LogHandler {
        switch self {
        case .json:
            return JSONLogHandler(label: label, level: level, output: output)
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
