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
            For scripts: --data-only prints only the data (a CSV reply exactly as the CSV file; info lines \
            and errors on standard error); --json sends FORMAT json first and prints one JSON object per reply.
            Exit status, for -c and for commands piped on standard input alike: 0 when every reply was 2xx; \
            else that of the first reply that was not: 64 for a bad request (500, 501, 510), 77 for \
            authentication or permission (514, 515, 530), 75 when a retry may help (other 4xx), 1 for any \
            other error reply; 69 when the server cannot be reached or the connection breaks.
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
        name: .customShort("c"), help: "Run one command, print its reply, and exit with a status derived from its code."
    )
    var command: String?
    @Flag(
        name: .customLong("data-only"),
        help: "Print only each reply's data lines (or its final text): a CSV reply exactly as the CSV file.")
    var dataOnly = false
    @Flag(help: "Send FORMAT json first; print each reply as one JSON object (with --data-only: its data lines).")
    var json = false

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let command, command.contains("\n") { throw ValidationError("-c takes a single line") }
    }

    func run() async throws {
        let password = try user.map { _ in try Self.password() }
        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let clientTLS = (tls || tlsCA != nil) ? try ConsoleTLS.client(trustFile: tlsCA, checkHostname: !isAddress) : nil
        let printer = ConsoleReplyPrinter(dataOnly: dataOnly, json: json)
        let status: Int32
        do {
            status = try await ConsoleClient.withConnection(host: host, port: port, tls: clientTLS) { client in
                try await session(on: client, password: password, printer: printer)
            }
        } catch {
            // Connection refused, no greeting, a broken connection: not a reply, so not a reply's status.
            FileHandle.standardError.write(Data("passage console: \(error)\n".utf8))
            throw ExitCode(ConsoleExitStatus.unavailable)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Signs in, switches to JSON if asked, then runs `-c` or the lines of standard input; the
    /// exit status of the first reply that was not 2xx (0 if none).
    func session(on client: ConsoleClient, password: String?, printer: ConsoleReplyPrinter) async throws -> Int32 {
        guard client.greeting.code == 220 else {
            Self.show(client.greeting, printer: printer)
            return 75
        }
        let quiet = command != nil || dataOnly || json
        if let user, let password {
            let reply = try await client.request("AUTH \(Self.quoted(user)) \(Self.quoted(password))")
            guard reply.code == 250 else {
                Self.show(reply, printer: printer)
                return ConsoleExitStatus.of(code: reply.code)
            }
            // The sign-in's own reply is for a person; a script's output holds only what it asked for.
            if !quiet { printer.print(reply) }
        }
        if json {
            let reply = try await client.request("FORMAT json")
            guard reply.code == 250 else {
                Self.show(reply, printer: printer)
                return ConsoleExitStatus.of(code: reply.code)
            }
        }
        if let command {
            let reply = try await client.request(command)
            printer.print(reply)
            return ConsoleExitStatus.of(code: reply.code)
        }
        if isatty(STDIN_FILENO) == 1 && !quiet { printer.print(client.greeting) }
        return try await Self.interact(with: client, printer: printer)
    }

    static func interact(with client: ConsoleClient, printer: ConsoleReplyPrinter) async throws -> Int32 {
        var history: [String] = []
        var status: Int32 = 0
        let prompting = isatty(STDIN_FILENO) == 1
        while true {
            if prompting { FileHandle.standardOutput.write(Data("passage> ".utf8)) }
            guard var line = readLine(strippingNewline: true) else { return status }
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
            printer.print(reply)
            status = ConsoleExitStatus.combined(status, reply.code)
            if reply.code == 221 || reply.code == 421 { return status }
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

    /// A refusal before any command ran (greeting, AUTH, FORMAT json): as received, on standard
    /// error when a script reads standard output.
    static func show(_ reply: ReceivedReply, printer: ConsoleReplyPrinter) {
        if printer.dataOnly || printer.json {
            reply.lines.forEach(printer.standardError)
        } else {
            print(reply.lines.joined(separator: "\n"))
        }
    }
}
