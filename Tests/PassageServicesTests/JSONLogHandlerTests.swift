import Foundation
import Logging
import PassageServices
import Testing

/// `passage serve --log-format json`: every line one JSON object with the fixed fields and the
/// metadata flattened, whatever the message and values hold.
@Suite struct JSONLogHandlerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var written: [String] = []
        func append(_ line: String) { lock.withLock { written.append(line) } }
        var all: [String] { lock.withLock { written } }
    }

    static func capture(level: Logger.Level = .info, _ body: (inout Logger) -> Void) -> [String] {
        let lines = Lines()
        var logger = Logger(label: "passage.test") { label in
            JSONLogHandler(label: label, level: level, output: LogOutput { lines.append($0) })
        }
        body(&logger)
        return lines.all
    }

    static func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line: \(line)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func aLineIsOneJSONObjectWithTheFixedFieldsAndTheMetadataFlattened() throws {
        let lines = Self.capture { logger in
            logger[metadataKey: "peer"] = "127.0.0.1:5000"
            logger.info(
                "command \"quoted\"\nsecond line\u{01} Pérez ✓",
                metadata: [
                    "request_id": "c1.2", "code": .stringConvertible(250),
                    "db": .dictionary(["pool": "casework", "wait": .dictionary(["ms": "3"])]),
                    "names": .array(["a", "b"]), "message": "a clash with a fixed name",
                ])
        }
        #expect(lines.count == 1)
        let object = try Self.object(lines[0])
        let time = try #require(object["time"] as? String)
        // RFC 3339 in UTC with milliseconds, e.g. 2026-12-05T16:37:45.123Z.
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(time)")
        let parsed = try #require(ISO8601DateFormatter.withFractionalSeconds.date(from: time))
        #expect(abs(parsed.timeIntervalSinceNow) < 3600)
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "passage.test")
        #expect(object["message"] as? String == "command \"quoted\"\nsecond line\u{01} Pérez ✓")
        #expect(object["_message"] as? String == "a clash with a fixed name")
        #expect(object["request_id"] as? String == "c1.2")
        #expect(object["code"] as? String == "250")
        #expect(object["peer"] as? String == "127.0.0.1:5000")
        #expect(object["db.pool"] as? String == "casework")
        #expect(object["db.wait.ms"] as? String == "3")
        #expect(object["names"] as? [String] == ["a", "b"])
    }

    @Test func theLevelFiltersAndEveryLevelIsNamedAsTheOptionSpellsIt() throws {
        let lines = Self.capture(level: .notice) { logger in
            logger.info("dropped")
            logger.notice("kept")
            logger.critical("kept too")
        }
        #expect(try lines.map { try Self.object($0)["level"] as? String } == ["notice", "critical"])
        for level in Logger.Level.allCases {
            #expect(LogFormat.json.handler(label: "x", level: level).logLevel == level)
            #expect(LogFormat.text.handler(label: "x", level: level).logLevel == level)
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
