import ArgumentParser

/// `passage classify [FILE|-]` — contract ../shared/spec/case-facts.md section 5. (Being written.)
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Classify case facts (JSON Lines) without a database.")
    @Argument(help: "A JSON Lines file of case facts, or - for standard input.") var file: String = "-"
    func run() throws { throw ValidationError("classify is being written") }
}
