import ArgumentParser
import Foundation
import PassageConsole
import PassageCore
import PassageHTTP

/// `passage docs`: prints the parts of Docs/console-protocol.md generated from the command
/// table, so the documentation cannot drift from what the server answers (a test compares),
/// and the HTTP API's OpenAPI document — the same bytes `/openapi.json` serves, generated from
/// the operation declarations — for validators and client generators that run without a server.
struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Print the role matrix and command reference generated from the command table, or the OpenAPI document."
    )

    static let parts = ["role-matrix", "reference", "openapi"]

    @Argument(help: "role-matrix, reference or openapi") var part: String = "role-matrix"

    func validate() throws {
        guard Self.parts.contains(part) else {
            throw ValidationError("part must be role-matrix, reference or openapi")
        }
    }

    func run() {
        switch part {
        case "openapi":
            FileHandle.standardOutput.write(
                OpenAPIDocument.data(PassageAPI.operations, version: PassageVersion.current))
            FileHandle.standardOutput.write(Data("\n".utf8))
        default:
            let catalog = ConsoleCommands.documentation()
            print(part == "role-matrix" ? catalog.roleMatrixMarkdown() : catalog.referenceMarkdown(), terminator: "")
        }
    }
}
