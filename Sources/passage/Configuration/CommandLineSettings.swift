import ArgumentParser
import Foundation

/// The configuration file and `PASSAGE_*` variables turned into command-line options before
/// ArgumentParser parses: `passage serve` then validates one set of options, however they were
/// given, with the same checks and messages. Precedence, highest first: the command line, the
/// environment, the file, the defaults. An option on the command line (or its `--no-` form, or
/// the other of `--data-dir`/`--database-url`) hides the same setting of the environment and the
/// file; a variable hides the file's. Every option of `serve` is settable both ways; the other
/// subcommands take the database settings (`sharedKeys`) from the same places, so `passage user`
/// and `passage migrate` reach the server's database.
struct CommandLineSettings {
    /// The arguments to parse: the given ones with the settings inserted after the subcommand.
    var arguments: [String]
    /// Which option came from which setting, for errors.
    var origins: [(option: String, origin: SettingOrigin)]

    /// Keys of `serve` that other subcommands take too, with the same meaning.
    static let sharedKeys: Set<String> = [
        "data-dir", "database-url", "schema-dir", "pii-key-file", "pii-previous-key-file", "jurisdictions",
        // The keyring (per-person keys) goes with the database (Docs/operations.md "The keyring").
        "keyring-url",
        // passage export reads from the server's standby as STATS does.
        "read-database-url", "read-max-lag", "read-lag-policy",
    ]
    /// Options that are no settings.
    static let notSettings: Set<String> = ["help", "version", "config", "experimental-dump-help"]
    /// Options that exclude each other: one given at a higher level hides all of them below.
    static let exclusive: [Set<String>] = [["data-dir", "database-url"]]
    static let configVariable = "PASSAGE_CONFIG"

    /// `http-port` → `PASSAGE_HTTP_PORT`.
    static func environmentVariable(for key: String) -> String {
        "PASSAGE_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// Settles `given` (the arguments after the program's name) for `root`'s subcommand.
    /// `readFile` reads the configuration file (`--config`'s path, or nil for the default).
    static func settle(
        _ given: [String], root: ParsableCommand.Type = Passage.self, serve: ParsableCommand.Type = Serve.self,
        environment: [String: String], readFile: (String?) throws -> [Setting]? = ConfigurationFile.read
    ) throws -> CommandLineSettings {
        // The subcommand named, and where its own arguments start.
        var command = root
        var start = 0
        while start < given.count,
            let sub = command.configuration.subcommands.first(where: { $0._commandName == given[start] })
        {
            command = sub
            start += 1
        }
        // --config FILE is read here, for every subcommand, and never reaches the parser.
        var arguments = Array(given[..<start])
        var rest: [String] = []
        var configPath: String?
        var index = start
        while index < given.count {
            let argument = given[index]
            if argument == "--" {
                rest += given[index...]
                break
            }
            if argument == "--config" {
                guard index + 1 < given.count else { throw ConfigurationError(description: "--config needs a file") }
                configPath = given[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--config=") {
                configPath = String(argument.dropFirst("--config=".count))
                index += 1
                continue
            }
            rest.append(argument)
            index += 1
        }
        if configPath == nil, let fromEnvironment = environment[configVariable], !fromEnvironment.isEmpty {
            configPath = fromEnvironment
        }

        let serveOptions = CommandOptions.of(serve)
        let keys = serveOptions.options.union(serveOptions.flags).subtracting(notSettings)
        let applicable: Set<String> =
            ObjectIdentifier(command) == ObjectIdentifier(serve)
            ? keys : keys.intersection(sharedKeys).intersection(CommandOptions.of(command).options)
        guard !applicable.isEmpty else {
            return CommandLineSettings(arguments: arguments + rest, origins: [])
        }

        let fromFile = try readFile(configPath) ?? []
        for setting in fromFile where !keys.contains(setting.key) {
            throw ConfigurationError(
                description:
                    "\(setting.origin): unknown key \(setting.key) (keys are the long options of `passage serve` without the dashes, e.g. http-port; see passage serve --help)"
            )
        }
        let fromEnvironment = keys.sorted().compactMap { key -> Setting? in
            let variable = environmentVariable(for: key)
            guard let value = environment[variable], !value.isEmpty else { return nil }
            return Setting(key: key, value: value, origin: .environment(variable: variable))
        }
        for setting in fromFile + fromEnvironment {
            if serveOptions.flags.contains(setting.key) {
                _ = try Self.boolean(setting)
            } else if setting.value.isEmpty {
                throw ConfigurationError(description: "\(setting.origin): \(setting.key) needs a value")
            }
        }

        // What the command line already says, as slots: a flag and its --no- form share one,
        // and so do options that exclude each other.
        func slots(_ name: String) -> Set<String> {
            var base = name
            if name.hasPrefix("no-"), serveOptions.flags.contains(String(name.dropFirst(3))) {
                base = String(name.dropFirst(3))
            }
            return exclusive.first(where: { $0.contains(base) }) ?? [base]
        }
        var taken = Set<String>()
        for argument in rest where argument.hasPrefix("--") {
            let name = String(argument.dropFirst(2).prefix(while: { $0 != "=" }))
            taken.formUnion(slots(name))
        }

        var inserted: [String] = []
        var origins: [(option: String, origin: SettingOrigin)] = []
        for layer in [fromEnvironment, fromFile] {
            var takenByLayer = Set<String>()
            for setting in layer where applicable.contains(setting.key) {
                let settingSlots = slots(setting.key)
                guard taken.isDisjoint(with: settingSlots) else { continue }
                takenByLayer.formUnion(settingSlots)
                if serveOptions.flags.contains(setting.key) {
                    guard let flag = try Self.flag(setting, flags: serveOptions.flags) else { continue }
                    inserted.append("--" + flag)
                    origins.append((flag, setting.origin))
                } else {
                    inserted.append("--\(setting.key)=\(setting.value)")
                    origins.append((setting.key, setting.origin))
                }
            }
            taken.formUnion(takenByLayer)
        }
        arguments += inserted + rest
        return CommandLineSettings(arguments: arguments, origins: origins)
    }

    /// The flag a boolean setting stands for: `insecure = yes` → `insecure`;
    /// `ping-on-event-loop = no` → `no-ping-on-event-loop`; `no-http = no` → none (the default).
    static func flag(_ setting: Setting, flags: Set<String>) throws -> String? {
        let key = setting.key
        if try boolean(setting) { return key }
        if flags.contains("no-" + key) { return "no-" + key }
        if key.hasPrefix("no-"), flags.contains(String(key.dropFirst(3))) { return String(key.dropFirst(3)) }
        return nil
    }

    static func boolean(_ setting: Setting) throws -> Bool {
        switch setting.value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            throw ConfigurationError(
                description:
                    "\(setting.origin): \(setting.key) is a switch: true or false (yes/no, on/off, 1/0), not \(ConfigurationFile.quoted(setting.value))"
            )
        }
    }

    /// An error message of the parser with the setting it is about named in front, when the
    /// option it names came from the file or the environment.
    func explained(_ message: String) -> String {
        let culprits = origins.filter { entry in
            var searchStart = message.startIndex
            while let range = message.range(of: "--" + entry.option, range: searchStart..<message.endIndex) {
                let after = range.upperBound
                if after == message.endIndex
                    || !(message[after].isLetter || message[after].isNumber || message[after] == "-")
                {
                    return true
                }
                searchStart = after
            }
            return false
        }
        guard !culprits.isEmpty else { return message }
        let named = culprits.map { "\($0.origin) (\($0.option))" }.joined(separator: ", ")
        return "\(named): \(message)"
    }
}
