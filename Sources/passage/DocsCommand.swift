import ArgumentParser
import PassageConsole

/// `passage docs`: prints the parts of Docs/console-protocol.md generated from the command
/// table, so the documentation cannot drift from what the server answers (a test compares).
struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the role matrix and command reference generated from the command table.")

    @Argument(help: "role-matrix or reference") var part: String = "role-matrix"

    func validate() throws {
        guard ["role-matrix", "reference"].contains(part) else {
            throw ValidationError("part must be role-matrix or reference")
        }
    }

    func run() {
        let catalog = ConsoleCommands.documentation()
        print(part == "role-matrix" ? catalog.roleMatrixMarkdown() : catalog.referenceMarkdown(), terminator: "")
    }
}
