import ArgumentParser
import Foundation

/// The long options and flags a command takes, read from ArgumentParser's own description of
/// it (`_dumpHelp`, what `--experimental-dump-help` prints): the configuration file and the
/// environment accept exactly what the command line does, and an option added to `serve`
/// is settable there without a list kept by hand.
struct CommandOptions: Equatable {
    /// Long names that take a value (`--http-port 7412`).
    var options: Set<String> = []
    /// Long names that take none (`--insecure`, `--no-http`, `--ping-on-event-loop`).
    var flags: Set<String> = []

    func contains(_ name: String) -> Bool { options.contains(name) || flags.contains(name) }

    static func of(_ command: ParsableCommand.Type) -> CommandOptions {
        struct Dump: Decodable {
            struct Command: Decodable {
                struct Argument: Decodable {
                    struct Name: Decodable {
                        var kind: String
                        var name: String
                    }
                    var kind: String
                    var names: [Name]?
                }
                var arguments: [Argument]?
            }
            var command: Command
        }
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8)) else {
            return CommandOptions()
        }
        var found = CommandOptions()
        for argument in dump.command.arguments ?? [] {
            for name in argument.names ?? [] where name.kind == "long" {
                switch argument.kind {
                case "option": found.options.insert(name.name)
                case "flag": found.flags.insert(name.name)
                default: break
                }
            }
        }
        return found
    }
}
