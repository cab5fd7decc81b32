import ArgumentParser
import Foundation
import Testing

@testable import passage

/// /etc/passage/passage.conf and PASSAGE_* variables become options of `passage serve` (and the
/// database options of the other subcommands), below the command line.
@Suite("Configuration file and environment")
struct ConfigurationTests {
    static let path = "/etc/passage/passage.conf"

    func settle(
        _ arguments: [String], file: String? = nil, environment: [String: String] = [:]
    ) throws -> CommandLineSettings {
        try CommandLineSettings.settle(arguments, environment: environment) { explicit in
            try file.map { try ConfigurationFile.parse($0, path: explicit ?? Self.path) }
        }
    }

    func serve(_ settings: CommandLineSettings) throws -> Serve {
        try #require(try Passage.parseAsRoot(settings.arguments) as? Serve)
    }

    @Test("command line over environment over file over default, option by option")
    func precedence() throws {
        let file = """
            # ports
            port = 7500
            http-port = 7501
            pool-size = 4
            release-period = "week"
            """
        let environment = ["PASSAGE_HTTP_PORT": "7601", "PASSAGE_POOL_SIZE": "6"]
        let settled = try serve(try settle(["serve", "--pool-size", "12"], file: file, environment: environment))
        #expect(settled.port == 7500)  // file
        #expect(settled.httpPort == 7601)  // environment over file
        #expect(settled.poolSize == 12)  // command line over both
        #expect(settled.releasePeriod == "week")  // quotes removed
        #expect(settled.maxConnections == 256)  // default
        let plain = try serve(try settle(["serve"]))
        #expect(plain.port == 7411 && plain.httpPort == 7412)
    }

    @Test("switches: yes/no in the file, a --no- form, and the command line's form wins")
    func switches() throws {
        let file = "no-http = yes\nping-on-event-loop = off\ninsecure = false\n"
        let fromFile = try serve(try settle(["serve"], file: file))
        #expect(fromFile.noHTTP)
        #expect(!fromFile.pingOnEventLoop)
        #expect(!fromFile.insecure)
        let overridden = try serve(try settle(["serve", "--ping-on-event-loop"], file: file))
        #expect(overridden.pingOnEventLoop)
        let fromEnvironment = try serve(
            try settle(["serve"], file: file, environment: ["PASSAGE_PING_ON_EVENT_LOOP": "true"]))
        #expect(fromEnvironment.pingOnEventLoop)
    }

    @Test("every option of serve is a key, and a PASSAGE_ variable")
    func everyOption() throws {
        let options = CommandOptions.of(Serve.self)
        let keys = options.options.union(options.flags).subtracting(CommandLineSettings.notSettings)
        #expect(keys.contains("http-port") && keys.contains("tls-cert") && keys.contains("data-dir"))
        #expect(keys.count >= 38)
        for key in keys {
            let value = options.flags.contains(key) ? "false" : "x"
            // Each is accepted by the file and by the environment (values are checked by the parser).
            let fromFile = try settle(["serve"], file: "\(key) = \(value)")
            let fromEnvironment = try settle(
                ["serve"], environment: [CommandLineSettings.environmentVariable(for: key): value])
            #expect(fromFile.arguments == fromEnvironment.arguments, "\(key)")
        }
        #expect(
            CommandLineSettings.environmentVariable(for: "max-unauthenticated-per-network")
                == "PASSAGE_MAX_UNAUTHENTICATED_PER_NETWORK")
    }

    @Test("an unknown key, a line without =, a key set twice: refused with the file and line")
    func fileMistakes() throws {
        #expect {
            try settle(["serve"], file: "port = 7411\n\nhttp_port = 7412\n")
        } throws: { error in
            "\(error)".hasPrefix("\(Self.path) line 3: unknown key http_port")
        }
        #expect {
            try settle(["serve"], file: "listen 127.0.0.1\n")
        } throws: { error in
            "\(error)".hasPrefix("\(Self.path) line 1: expected `key = value`")
        }
        #expect {
            try settle(["serve"], file: "port = 1\nport = 2\n")
        } throws: { error in
            "\(error)" == "\(Self.path) line 2: port is set twice (also on line 1)"
        }
        #expect {
            try settle(["serve"], file: "insecure = maybe\n")
        } throws: { error in
            "\(error)".hasPrefix("\(Self.path) line 1: insecure is a switch")
        }
        #expect {
            try settle(["serve"], file: "tls-cert =\n")
        } throws: { error in
            "\(error)" == "\(Self.path) line 1: tls-cert needs a value"
        }
    }

    @Test("--config names a file that must exist; /dev/null is none; the default is read only when it exists")
    func fileChoice() throws {
        #expect(try ConfigurationFile.read(explicit: "/dev/null") == [])
        let missing = "/nonexistent/passage-\(UUID().uuidString).conf"
        #expect {
            try ConfigurationFile.read(explicit: missing)
        } throws: { error in
            "\(error)" == "the configuration file \(missing) does not exist"
        }
        if !FileManager.default.fileExists(atPath: ConfigurationFile.defaultPath) {
            #expect(try ConfigurationFile.read(explicit: nil) == nil)
        }
    }

    @Test("a bad value is refused by serve's own checks, naming where it was set")
    func badValuesNamed() throws {
        let settings = try settle(
            ["serve"], file: "port = 7411\nhttp-port = 70000\n", environment: ["PASSAGE_POOL_SIZE": "many"])
        #expect(throws: (any Error).self) { try Passage.parseAsRoot(settings.arguments) }
        do {
            _ = try Passage.parseAsRoot(settings.arguments)
        } catch {
            let explained = settings.explained(Passage.message(for: error))
            #expect(explained.hasPrefix("environment variable PASSAGE_POOL_SIZE (pool-size): "), "\(explained)")
        }
        let onlyPort = try settle(["serve"], file: "port = 7411\nhttp-port = 70000\n")
        do {
            _ = try Passage.parseAsRoot(onlyPort.arguments)
            Issue.record("an out-of-range port was accepted")
        } catch {
            #expect(
                onlyPort.explained(Passage.message(for: error))
                    == "\(Self.path) line 2 (http-port): --http-port must be between 0 and 65535")
        }
    }

    @Test("--data-dir and --database-url: one given above hides both below")
    func exclusiveDatabaseChoice() throws {
        let file = "data-dir = /var/lib/passage\n"
        let url = "postgresql://passage@db.example/passage"
        let byEnvironment = try serve(try settle(["serve"], file: file, environment: ["PASSAGE_DATABASE_URL": url]))
        #expect(byEnvironment.database.databaseURL == url && byEnvironment.database.dataDirectory == nil)
        let byCommandLine = try serve(
            try settle(["serve", "--data-dir", "/srv/p"], file: file, environment: ["PASSAGE_DATABASE_URL": url]))
        #expect(byCommandLine.database.dataDirectory == "/srv/p" && byCommandLine.database.databaseURL == nil)
    }

    @Test("other subcommands take the database settings only; --config is read, never parsed")
    func otherSubcommands() throws {
        let file = "data-dir = /var/lib/passage\nhttp-port = 7501\npii-key-file = /etc/passage/pii.key\n"
        var asked: [String?] = []
        let settings = try CommandLineSettings.settle(["user", "list", "--config", "/srv/p.conf"], environment: [:]) {
            asked.append($0)
            return try ConfigurationFile.parse(file, path: $0 ?? Self.path)
        }
        #expect(asked == ["/srv/p.conf"])
        #expect(settings.arguments == ["user", "list", "--data-dir=/var/lib/passage"])
        let migrate = try settle(["migrate"], file: file)
        #expect(
            migrate.arguments.sorted() == [
                "--data-dir=/var/lib/passage", "--pii-key-file=/etc/passage/pii.key", "migrate",
            ])
        // Commands that take none of them (the console client) read no file at all.
        var read = false
        _ = try CommandLineSettings.settle(["console", "-c", "PING"], environment: [:]) { _ in
            read = true
            return []
        }
        #expect(!read)
    }

    @Test("root is refused a configured data directory that belongs to the service's user")
    func rootOnServiceDirectory() throws {
        let directory = NSTemporaryDirectory() + "passage-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = try settle(["user", "list"], file: "data-dir = \(directory)\n")
        // Owned by root (the tests' user here) or by a user of its own: allowed either way for
        // a non-root caller.
        try ServiceDataDirectory.check(settings, isRoot: false)
        guard geteuid() == 0, let nobody = getpwnam("nobody") else { return }
        try ServiceDataDirectory.check(settings, isRoot: true)  // root's own directory
        #expect(chown(directory, nobody.pointee.pw_uid, nobody.pointee.pw_gid) == 0)
        #expect {
            try ServiceDataDirectory.check(settings, isRoot: true)
        } throws: { error in
            "\(error)".contains("belongs to nobody") && "\(error)".contains("runuser -u nobody -- passage")
        }
        // Named on the command line, it is the operator's choice as before.
        try ServiceDataDirectory.check(try settle(["user", "list", "--data-dir", directory]), isRoot: true)
    }
}
