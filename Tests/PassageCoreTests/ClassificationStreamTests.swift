import Foundation
import Testing

@testable import PassageCore

/// `passage classify`'s line handling, without files: one output line per input line, in order,
/// whatever the chunk boundaries.
@Suite struct ClassificationStreamTests {
    static let good =
        #"{"ref":"s-1","nationality":"CO","current_country":"CO","left_home":true,"forced":true,"causes":["armed_conflict"]}"#
    static let goodResult =
        #"{"ref":"s-1","primary":"idp","categories":["idp"],"subcategories":{"idp":"conflict"},"basis":{"idp":["guiding-principles-2"]},"regular":null,"institutional":null,"review":false,"notes":[],"missing":[]}"#

    struct Run {
        var output: String
        var errors: [ClassificationStream.LineError]
        var lines: Int
    }

    static func run(
        _ input: [UInt8], chunkSize: Int = 1 << 16,
        maximumLineLength: Int = ClassificationStream.defaultMaximumLineLength
    ) -> Run {
        var stream = ClassificationStream(maximumLineLength: maximumLineLength)
        var output: [UInt8] = []
        var errors: [ClassificationStream.LineError] = []
        var start = 0
        while start < input.count {
            let end = min(start + chunkSize, input.count)
            stream.feed(Array(input[start..<end]), into: &output) { errors.append($0) }
            start = end
        }
        stream.finish(into: &output) { errors.append($0) }
        return Run(output: String(decoding: output, as: UTF8.self), errors: errors, lines: stream.lineCount)
    }

    static func run(_ text: String, chunkSize: Int = 1 << 16) -> Run {
        run(Array(text.utf8), chunkSize: chunkSize)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func chunkBoundariesDoNotMatter(_ chunkSize: Int) {
        let input = [Self.good, #"{"ref":"bad","current_country":"XX"}"#, Self.good].joined(separator: "\n") + "\n"
        let result = Self.run(input, chunkSize: chunkSize)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)  // three lines and the final line feed
        #expect(lines[0] == Self.goodResult[...])
        #expect(
            lines[1]
                == #"{"ref":"bad","line":2,"error":"current_country: \"XX\" is not an assigned ISO 3166-1 alpha-2 country code"}"#
        )
        #expect(lines[2] == Self.goodResult[...])
        #expect(result.errors.map(\.line) == [2])
    }

    @Test func aLastLineWithoutLineFeedIsClassified() {
        let result = Self.run(Self.good + "\n" + Self.good)
        #expect(result.output == Self.goodResult + "\n" + Self.goodResult + "\n")
        #expect(result.lines == 2)
    }

    @Test func emptyInputGivesNoOutput() {
        let result = Self.run("")
        #expect(result.output.isEmpty && result.errors.isEmpty && result.lines == 0)
    }

    @Test func crlfLineEndingsAreAccepted() {
        let result = Self.run(Self.good + "\r\n" + Self.good + "\r\n")
        #expect(result.output == Self.goodResult + "\n" + Self.goodResult + "\n")
        #expect(result.errors.isEmpty)
    }

    @Test func anEmptyLineIsAnErrorThatKeepsLinesAligned() {
        let result = Self.run(Self.good + "\n\n   \n" + Self.good + "\n")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1] == #"{"ref":null,"line":2,"error":"empty line"}"#)
        #expect(lines[2] == #"{"ref":null,"line":3,"error":"empty line"}"#)
        #expect(lines[3] == Self.goodResult[...])
        #expect(result.errors.map(\.line) == [2, 3])
    }

    @Test func aByteOrderMarkOnTheFirstLineIsNotContent() {
        let result = Self.run([0xEF, 0xBB, 0xBF] + Array((Self.good + "\n").utf8), chunkSize: 2)
        #expect(result.output == Self.goodResult + "\n")
    }

    @Test(arguments: [1, 5, 4096])
    func anOverlongLineIsRefusedWithoutBufferingIt(_ chunkSize: Int) {
        let long =
            #"{"ref":"long","current_country":"CO","causes":["#
            + String(repeating: #""work","#, count: 200) + #""work"]}"#
        let input = Array((Self.good + "\n" + long + "\n" + Self.good).utf8)
        let result = Self.run(input, chunkSize: chunkSize, maximumLineLength: 512)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1] == #"{"ref":null,"line":2,"error":"line is longer than 512 bytes"}"#)
        #expect(lines[2] == Self.goodResult[...])
    }

    @Test func theErrorLineCarriesTheRefWhenItCanBeRead() {
        let cases: [(String, String)] = [
            (
                #"{"age":300,"ref":"late-ref","current_country":"CO"}"#,
                #"{"ref":"late-ref","line":1,"error":"age: 300 is out of range (0 to 130)"}"#
            ),
            (
                #"{"ref":"r\"1","current_country":"CO","age":}"#,
                #"{"ref":"r\"1","line":1,"error":"age: invalid JSON at column 44: expected a value"}"#
            ),
            (
                #"{"ref":12,"current_country":"CO"}"#,
                #"{"ref":null,"line":1,"error":"ref: must be a string, not a number"}"#
            ),
            (
                #"{"ref":"a","ref":"b","current_country":"CO"}"#,
                #"{"ref":null,"line":1,"error":"ref: key given more than once"}"#
            ),
            ("not json", #"{"ref":null,"line":1,"error":"invalid JSON at column 1: expected a JSON object"}"#),
        ]
        for (input, expected) in cases {
            #expect(Self.run(input + "\n").output == expected + "\n", "\(input)")
        }
    }

    @Test func theStandardErrorMessageNamesLineRefAndKey() throws {
        let result = Self.run(
            Self.good + "\n" + #"{"ref":"c-9","current_country":"CO","employment":{"skill_level":9}}"# + "\n")
        let error = try #require(result.errors.first)
        #expect(error.description == "line 2 (ref c-9): employment.skill_level: 9 is out of range (1 to 4)")
        #expect(error.error.key == "employment.skill_level")
    }

    @Test func hostileLinesGiveErrorLinesThatAreStillJSON() throws {
        let deep = String(repeating: "[", count: 100_000)
        let lines = [
            deep,
            #"{"ref":"d","current_country":"CO","causes":"# + deep,
            #"{"\u0001\n\"":1,"ref":"c","current_country":"CO"}"#,
            #"{"ref":"x","current_country":"CO","sex":"\u0007"}"#,
        ]
        let result = Self.run(lines.joined(separator: "\n") + "\n")
        #expect(result.errors.count == lines.count)
        for line in result.output.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["error"] is String)
            #expect(object["line"] is Int)
        }
        #expect(result.errors[2].error.key == "\u{01}\n\"")
    }

    @Test func theLineFeedScanFindsEveryPosition() {
        for length in 0..<40 {
            for position in 0...length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if position < length { bytes[position] = UInt8(ascii: "\n") }
                let found = bytes.withUnsafeBufferPointer { ClassificationStream.indexOfLineFeed(in: $0, from: 0) }
                #expect(found == position)
            }
        }
    }
}
