import ArgumentParser
import Foundation
import PassageConsole

/// `passage console`: an interactive client for the console, and a one-shot one for scripts.
struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk to a Passage console: interactively, or one command with -c.",
        discussion: """
            With --user, signs in first; the password is read without echo, or from PASSAGE_PASSWORD.
            Interactive extras: \\history lists this session's commands, !N runs command N again, !! the last one.
            With -c, the exit status follows the reply: 0 for 2xx, 64 for a bad request (500, 501, 510),
            77 for authentication or permission (514, 515, 530), 75 when a retry may help (4xx), 1 otherwise.
            """)

    @Option var host = "127.0.0.1"
    @Option var port = 7411
    @Option(help: "Sign in as this user before anything else.") var user: String?
    @Flag(help: "Speak TLS to the server.") var tls = false
    @Option(
        name: .customLong("tls-ca"),
        help: "PEM file of the certificate (or CA) to trust; implies --tls. Default: the system's roots.")
    var tlsCA: String?
    @Option(
        name: .customShort("c"), help: "Run one command, print its reply, and exit with a status derived from the code."
    )
    var command: String?

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let command, command.contains("\n") { throw ValidationError("-c takes a single line") }
    }

    func run() async throws {
        let password = try user.map { _ in try Self.password() }
        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let clientTLS = (tls || tlsCA != nil) ? try ConsoleTLS.client(trustFile: tlsCA, checkHostname: !isAddress) : nil
        let status: Int32 = try await ConsoleClient.withConnection(host: host, port: port, tls: clientTLS) { client in
            guard client.greeting.code == 220 else {
                Self.show(client.greeting)
                return 75
            }
            if let user, let password {
                let reply = try await client.request("AUTH \(Self.quoted(user)) \(Self.quoted(password))")
                guard reply.code == 250 else {
                    Self.show(reply)
                    return Self.exitStatus(for: reply.code)
                }
                if command == nil { Self.show(reply) }
            }
            if let command {
                let reply = try await client.request(command)
                Self.show(reply)
                return Self.exitStatus(for: reply.code)
            }
            if isatty(STDIN_FILENO) == 1 { Self.show(client.greeting) }
            try await Self.interact(with: client)
            return 0
        }
        if status != 0 { throw ExitCode(status) }
    }

    static func interact(with client: ConsoleClient) async throws {
        var history: [String] = []
        let prompting = isatty(STDIN_FILENO) == 1
        while true {
            if prompting { FileHandle.standardOutput.write(Data("passage> ".utf8)) }
            guard var line = readLine(strippingNewline: true) else { return }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line == "\\history" {
                for (index, entry) in history.enumerated() { print("\(index + 1)  \(entry)") }
                continue
            }
            if line == "!!" || line.hasPrefix("!") {
                let index = line == "!!" ? history.count : Int(line.dropFirst()) ?? 0
                guard (1...max(1, history.count)).contains(index), index <= history.count else {
                    print("no such history entry: \(line)")
                    continue
                }
                line = history[index - 1]
                print(line)
            }
            // AUTH lines stay out of the history: it would hold a password.
            if !line.uppercased().hasPrefix("AUTH ") { history.append(line) }
            let reply = try await client.request(line)
            show(reply)
            if reply.code == 221 || reply.code == 421 { return }
        }
    }

    static func password() throws -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["PASSAGE_PASSWORD"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("no terminal to ask for the password: set PASSAGE_PASSWORD")
        }
        return String(cString: getpass("password: "))
    }

    /// Quoted for the console's tokenizer, so spaces and quotes in a password survive.
    static func quoted(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func show(_ reply: ReceivedReply) {
        print(reply.lines.joined(separator: "\n"))
    }

    static func exitStatus(for code: Int) -> Int32 {
        switch code {
        case 200..<300: return 0
        case 500, 501, 510: return 64
        case 514, 515, 530: return 77
        case 400..<500: return 75
        default: return 1
        }
    }
}
