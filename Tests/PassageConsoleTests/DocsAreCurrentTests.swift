import Foundation
import PassageConsole
import Testing

/// Docs/console-protocol.md carries the role matrix and command reference generated from the
/// command table; this keeps the page true when the table changes.
@Suite("Docs follow the command table")
struct DocsAreCurrentTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/console-protocol.md")

    static func generatedSection(_ name: String, in text: String) -> String? {
        let start = "<!-- generated: passage docs \(name) -->\n"
        guard let from = text.range(of: start),
            let to = text.range(of: "<!-- end generated -->", range: from.upperBound..<text.endIndex)
        else {
            return nil
        }
        return String(text[from.upperBound..<to.lowerBound])
    }

    @Test(
        "the role matrix and the reference in the docs are the ones the table generates",
        arguments: ["role-matrix", "reference"])
    func sectionIsCurrent(part: String) throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let catalog = ConsoleCommands.documentation()
        let expected = part == "role-matrix" ? catalog.roleMatrixMarkdown() : catalog.referenceMarkdown()
        let documented = try #require(
            Self.generatedSection(part, in: text), "no generated \(part) section in Docs/console-protocol.md")
        #expect(documented == expected, "regenerate with: swift run passage docs \(part)")
    }
}
