import ArgumentParser

/// `passage-bench …`: the load drivers behind the figures in Docs/performance.md, apart from the
/// product (the `passage` binary and the libraries hold no benchmark code). Each prints one number
/// per run, so the scripts in Deploy/bench/ can put it beside the anchor's.
@main
struct PassageBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passage-bench",
        abstract: "Load drivers for Docs/performance.md (run through Deploy/bench/*.sh).",
        subcommands: [
            PingCommand.self, PrimaryKeyCommand.self, ReferCommand.self, LatencyCommand.self, RepeatCommand.self,
            PersonKeysCommand.self, PersonSearchCommand.self,
        ])
}
