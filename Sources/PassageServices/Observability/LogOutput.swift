import Foundation
import Logging

/// Where log lines go: standard error in the server (one write(2) per line, so lines of
/// concurrent tasks never interleave), or a closure in tests.
public struct LogOutput: Sendable {
    private let sink: @Sendable ([UInt8]) -> Void

    /// Lines as text (tests).
    public init(write: @escaping @Sendable (String) -> Void) {
        self.sink = { bytes in write(String(decoding: bytes, as: UTF8.self)) }
    }

    /// Lines as UTF-8 bytes.
    public init(bytes: @escaping @Sendable ([UInt8]) -> Void) {
        self.sink = bytes
    }

    public func write(bytes: [UInt8]) { sink(bytes) }

    public static let standardError = LogOutput { (bytes: [UInt8]) in
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // standard error closed or full: the line is lost, the server goes on
                }
            }
        }
    }
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
