import Foundation
import PassageConsole
import PassageCore
import Postgres
import Testing

/// Hostile input over real TCP against a real server and database: each input gets a clear
/// error or is stored verbatim, the server answers PING after each, and a refused command leaves
/// every table as it was (Docs/reliability.md, "Hostile input").
@Suite("Drill: hostile input")
struct HostileInputTests {
    /// Text that would do harm if it were ever pasted into SQL or printed raw on a terminal.
    static let hostileTexts: [String] = [
        "Robert'); DROP TABLE cases;--",
        "' OR '1'='1' --",
        "$$; DELETE FROM audit_log; $$",
        "x'; COPY cases TO PROGRAM 'touch /tmp/pwned'; --",
        "\u{1B}[2J\u{1B}[31mred\u{1B}[0m",  // clear screen, colour
        "\u{1B}]0;owned title\u{07}",  // window title (OSC)
        "\u{9B}31m C1 CSI",  // 8-bit control sequence introducer
        "bell\u{07} backspace\u{08}\u{08} del\u{7F}",
        "%s%n%x %p {{7*7}} ${jndi:ldap://x}",
        "\u{202E}evil\u{202C} Zoë 王 👩🏽‍⚕️",
    ]

    /// A line as raw bytes with CRLF.
    static func raw(_ bytes: [UInt8]) -> [UInt8] { bytes + [13, 10] }

    /// Signs in a raw client as `user`.
    static func signIn(_ client: TestClient, _ user: String) async throws {
        #expect(try await client.readLine()?.hasPrefix("220 ") == true)
        try await client.send("AUTH \(user) \(LiveServer.password(user))\r\n")
        #expect(try await client.final()?.hasPrefix("250 ") == true)
    }

    /// Sends one raw line; returns its final reply line, then proves the server still answers.
    static func refusedRaw(_ client: TestClient, _ bytes: [UInt8]) async throws -> String {
        try await client.send(bytes: bytes)
        let final = try await client.final() ?? "(closed)"
        try await client.send("PING\r\n")
        #expect(try await client.final() == "250 PONG", "server unresponsive after \(final)")
        return final
    }

    @Test("over-long lines, invalid UTF-8, NUL and bare CR: 500 each, the connection stays usable, nothing changes")
    func framing() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request(#"CASE NEW {"ref":"framing-seed","current_country":"DE"}"#).code == 250)
            }
            try await TestClient.with(port: server.port) { (client: TestClient) async throws -> Void in
                try await Self.signIn(client, "cw")
                let before = try await DatabaseSnapshot.take(server.conninfo)
                let caseNew = Array(#"CASE NEW {"ref":"x","current_country":"DE","causes":["#.utf8)
                let attacks: [(String, [UInt8])] = [
                    (
                        "one byte over the limit",
                        Array(repeating: UInt8(ascii: "A"), count: LineFramer.defaultLimit + 1)
                    ),
                    (
                        "a 1 MiB CASE NEW",
                        caseNew + Array(repeating: UInt8(ascii: " "), count: 1 << 20) + Array("]}".utf8)
                    ),
                    ("overlong encoding of /", Array("PING ".utf8) + [0xC0, 0xAF]),
                    ("UTF-16 surrogate", Array("CASE SHOW ".utf8) + [0xED, 0xA0, 0x80]),
                    ("beyond U+10FFFF", Array("CASE SHOW ".utf8) + [0xF4, 0x90, 0x80, 0x80]),
                    ("lone continuation byte", [0x80] + Array("PING".utf8)),
                    ("truncated sequence", Array("PERSON SET 1 name=".utf8) + [0xE2, 0x82]),
                    ("Latin-1 name", Array("PERSON SET 1 name=Zo".utf8) + [0xEB]),
                    ("NUL first", [0] + Array("PING".utf8)),
                    ("NUL inside a name", Array("PERSON SET 1 name=\"a".utf8) + [0] + Array("b\"".utf8)),
                    ("NUL inside JSON", caseNew.dropLast(11) + [0] + Array("\"}".utf8)),
                ]
                for (what, bytes) in attacks {
                    let final = try await Self.refusedRaw(client, Self.raw(bytes))
                    #expect(final.hasPrefix("500 "), "\(what): \(final)")
                }
                // A line of exactly the limit is read (and refused for what it says, not for its length).
                let atLimit = try await Self.refusedRaw(
                    client, Self.raw(Array(repeating: UInt8(ascii: "A"), count: LineFramer.defaultLimit)))
                #expect(atLimit.hasPrefix("510 "), "\(atLimit)")
                // A bare CR is not a line end; the line it is in is an unknown command, not two lines.
                let bareCR = try await Self.refusedRaw(client, Self.raw(Array("PING\rPING".utf8)))
                #expect(bareCR.hasPrefix("510 ") || bareCR.hasPrefix("501 "), "\(bareCR)")
                let after = try await DatabaseSnapshot.take(server.conninfo)
                #expect(after == before, "before: \(before)\nafter:  \(after)")
            }
        }
    }

    @Test("deeply nested, huge and malformed case facts: 500 or 501 naming the problem, nothing stored")
    func hostileFacts() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"CASE NEW {"ref":"facts-seed","current_country":"DE"}"#).code == 250)
                let before = try await DatabaseSnapshot.take(server.conninfo, except: ["audit_log"])
                let depth = 4_000
                let deepArray = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                let deepObject = String(repeating: #"{"a":"#, count: 1_300) + "1" + String(repeating: "}", count: 1_300)
                let manyKeys = "{" + (0..<700).map { #""k\#($0)":1"# }.joined(separator: ",") + "}"
                let cases: [(String, Int)] = [
                    (#"CASE NEW {"ref":"deep","current_country":"DE","causes":\#(deepArray)}"#, 501),
                    (#"CASE NEW {"ref":"deep","current_country":"DE","employment":\#(deepObject)}"#, 501),
                    (#"CASE NEW {"ref":"deep","unknown":\#(deepArray),"current_country":"DE"}"#, 501),
                    ("CASE NEW " + deepArray, 501),
                    ("CASE NEW " + manyKeys, 501),
                    (
                        #"CASE NEW {"ref":"huge","current_country":"DE","causes":[\#(String(repeating: #""work","#, count: 2_000))"work"]}"#,
                        500
                    ),
                    (#"CASE NEW {"ref":"dup","ref":"dup2","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"trailing","current_country":"DE"} {"more":1}"#, 501),
                    (#"CASE NEW {"ref":"unterminated","current_country":"DE""#, 501),
                    (#"CASE NEW {"ref":"nul\u0000inside","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"lone\ud800surrogate","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"raw control \#u{1B} in JSON","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"\#(String(repeating: "r", count: 65))","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"","current_country":"DE"}"#, 501),
                    (#"CASE NEW {"ref":"types","current_country":["DE"]}"#, 501),
                    (#"CASE NEW ["ref","current_country"]"#, 500),  // facts must be an object: not read as JSON at all
                    ("CASE NEW null", 501),
                    ("CASE NEW {}", 501),
                    (#"CASE SET 1 version=1 {"employment":\#(deepObject)}"#, 501),
                    (#"CASE SET 1 version=1 {"ref":"x\u0000"}"#, 501),
                ]
                for (line, expected) in cases {
                    let reply = try await client.request(line)
                    #expect(reply.code == expected, "\(line.prefix(80)) → \(reply.code) \(reply.text)")
                    #expect(try await client.request("PING").code == 250)
                }
                #expect(try await DatabaseSnapshot.take(server.conninfo, except: ["audit_log"]) == before)
            }
        }
    }

    @Test("numbers out of range in arguments and facts: 501 naming the argument, nothing stored")
    func numbersOutOfRange() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request(#"CASE NEW {"ref":"numbers-seed","current_country":"DE"}"#).code == 250)
                let before = try await DatabaseSnapshot.take(server.conninfo, except: ["audit_log"])
                let lines = [
                    #"CASE NEW {"ref":"n1","current_country":"DE","age":131}"#,
                    #"CASE NEW {"ref":"n2","current_country":"DE","age":-1}"#,
                    #"CASE NEW {"ref":"n3","current_country":"DE","age":99999999999999999999999}"#,
                    #"CASE NEW {"ref":"n4","current_country":"DE","age":30.5}"#,
                    #"CASE NEW {"ref":"n5","current_country":"DE","age":1e400}"#,
                    #"CASE NEW {"ref":"n6","current_country":"DE","age":-0.0e-99999}"#,
                    #"CASE NEW {"ref":"n7","current_country":"DE","employment":{"skill_level":5}}"#,
                    #"CASE NEW {"ref":"n8","current_country":"DE","trafficking":{"age_at_act":9223372036854775808}}"#,
                    "CASE SET 1 version=1 age=131", "CASE SET 1 version=1 age=-5", "CASE SET 1 version=1 age=0x10",
                    "CASE SET 1 version=0 age=3", "CASE SET 1 version=2147483648 age=3", "CASE SET 1 version=-1 age=3",
                    "CASE SET 1 version=99999999999999999999 age=3", "CASE SET 1 version=1 employment.skill_level=0",
                    "CASE SHOW 9223372036854775808", "CASE SHOW -1", "CASE SHOW 0", "CASE SHOW 1e3", "CASE SHOW ١",
                    "CASE LIST limit=0", "CASE LIST limit=1001", "CASE LIST limit=-1", "CASE LIST after=-9",
                    "PERSON SET 1 dob=1990-13-01", "PERSON SET 1 dob=99999-01-01", "PERSON SET 1 dob=0000-00-00",
                ]
                for line in lines {
                    let reply = try await client.request(line)
                    #expect(reply.code == 501 || reply.code == 550, "\(line) → \(reply.code) \(reply.text)")
                    #expect(!reply.text.isEmpty, "\(line): the refusal names nothing")
                    #expect(try await client.request("PING").code == 250)
                }
                #expect(try await DatabaseSnapshot.take(server.conninfo, except: ["audit_log"]) == before)
            }
        }
    }

    @Test("SQL and terminal escapes in every text field: stored verbatim, shown escaped, never executed")
    func hostileTextStoredVerbatim() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(
                    try await client.request("PROVIDER ADD clinic services=legal_assistance areas=CO-ANT").text
                        .contains("provider=1"))
            }
            try await server.session(as: "sup") { (client: ConsoleClient) async throws -> Void in
                for (index, text) in Self.hostileTexts.enumerated() {
                    // ref (in JSON, control characters as \u escapes), override reason, name, phone, documents.
                    // A reference is an identifier: control characters in it are refused, naming it.
                    var ref = "h\(index) " + text
                    var created = try await client.request(
                        #"CASE NEW {"ref":\#(Self.jsonString(ref)),"current_country":"DE"}"#)
                    if Self.hasControl(ref) {
                        #expect(
                            created.code == 501 && created.text.hasPrefix("ref"),
                            "\(text.debugDescription) → \(created.text)")
                        ref = String(
                            String.UnicodeScalarView(ref.unicodeScalars.filter { !Self.hasControl(String($0)) }))
                        created = try await client.request(
                            #"CASE NEW {"ref":\#(Self.jsonString(ref)),"current_country":"DE"}"#)
                    }
                    #expect(created.code == 250, "\(text.debugDescription) → \(created.text)")
                    let id = try #require(
                        created.text.split(separator: " ").first { $0.hasPrefix("case=") }?.dropFirst(5))
                    let quoted = Self.quote(text)
                    #expect(try await client.request("CASE OVERRIDE \(id) idp reason=\(quoted)").code == 250)
                    #expect(
                        try await client.request(
                            "PERSON SET \(id) name=\(quoted) phone=\(Self.quote(String(text.prefix(40)))) documents=\(quoted)"
                        ).code == 250)

                    // A need's note, a referral's note and its idempotency key.
                    let need = try await client.request("NEED ADD \(id) LP-ND note=\(quoted)")
                    #expect(need.code == 250, "\(need.text)")
                    let needID = try #require(
                        need.text.split(separator: " ").first { $0.hasPrefix("need=") }?.dropFirst(5))
                    let key = Self.quote("k\(index) " + String(text.prefix(100)))
                    let referred = try await client.request(
                        "REFER \(id) \(needID) 1 consent=yes key=\(key) note=\(quoted)")
                    #expect(referred.code == 250, "\(referred.text)")
                    let again = try await client.request(
                        "REFER \(id) \(needID) 1 consent=yes key=\(key) note=\(quoted)")
                    #expect(
                        again.code == 250 && again.text == referred.text, "a repeat with a hostile key: \(again.text)")
                    #expect(
                        try await DatabaseSnapshot.count(
                            server.conninfo, "SELECT count(*) FROM needs WHERE note = \(text)") == 1)
                    #expect(
                        try await DatabaseSnapshot.count(
                            server.conninfo,
                            "SELECT count(*) FROM referrals WHERE idempotency_key = \("k\(index) " + String(text.prefix(100)))"
                        ) == 1)

                    // Text replies carry no raw control character; JSON replies give the text back exactly.
                    for line in [
                        "CASE SHOW \(id)", "PERSON SHOW \(id)", "CASE LIST", "NEED LIST \(id)", "REFERRAL LIST",
                    ] {
                        let shown = try await client.request(line)
                        #expect(shown.code == 250)
                        #expect(
                            !shown.lines.contains { Self.hasControl($0) }, "\(line) printed a raw control character")
                    }
                    #expect(try await client.request("FORMAT json").code == 250)
                    let person = try await client.request("PERSON SHOW \(id)")
                    let fields = Dictionary(
                        person.data.compactMap(Self.object).map {
                            ($0["field"] as? String ?? "", $0["value"] as? String ?? "")
                        },
                        uniquingKeysWith: { a, _ in a })
                    #expect(fields["name"] == text)
                    #expect(fields["phone"] == String(text.prefix(40)))
                    let shown = try await client.request("CASE SHOW \(id)")
                    #expect(
                        shown.data.contains { line in
                            Self.object(line).map { Self.strings(in: $0).contains { $0.contains(text) } } ?? false
                        },
                        "override reason not returned verbatim")
                    #expect(try await client.request("FORMAT text").code == 250)
                    // In the database, byte for byte.
                    let stored = try await DatabaseSnapshot.count(
                        server.conninfo, "SELECT count(*) FROM cases WHERE ref = \(ref) AND id = \(Int64(id)!)")
                    #expect(stored == 1, "ref not stored verbatim: \(ref.debugDescription)")
                }
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                for (index, text) in Self.hostileTexts.enumerated() {
                    // User names are identifiers (lower-case letters, digits, . _ -): refused, naming `user`.
                    let hostileName = "u\(index)-" + String(text.prefix(50))
                    let refused = try await client.request(
                        "USER ADD \(Self.quote(hostileName)) caseworker \(Self.quote("pw " + text))")
                    #expect(
                        refused.code == 501 && refused.text.hasPrefix("user"),
                        "\(hostileName.debugDescription) → \(refused.text)")
                    #expect(
                        try await DatabaseSnapshot.count(
                            server.conninfo, "SELECT count(*) FROM users WHERE name = \(hostileName)") == 0)
                    // A provider's name is an organisation's name: free text, kept verbatim.
                    let provider = try await client.request(
                        "PROVIDER ADD \(Self.quote("prov " + text)) services=cash areas=CO-ANT")
                    #expect(provider.code == 250, "\(provider.text)")
                    #expect(!(try await client.request("PROVIDER LIST")).lines.contains { Self.hasControl($0) })
                    // Passwords and organisation names are free text: kept verbatim.
                    let added = try await client.request(
                        "USER ADD u\(index) caseworker \(Self.quote("pw " + text)) org=\(Self.quote("org " + text))")
                    #expect(added.code == 250, "\(text.debugDescription) → \(added.text)")
                    let listed = try await client.request("USER LIST")
                    #expect(!listed.lines.contains { Self.hasControl($0) })
                    #expect(
                        try await DatabaseSnapshot.count(
                            server.conninfo, "SELECT count(*) FROM organisations WHERE name = \("org " + text)") == 1)
                    #expect(
                        try await DatabaseSnapshot.count(
                            server.conninfo, "SELECT count(*) FROM organisations WHERE name = \("prov " + text)") == 1)
                }
                #expect(try await client.request("AUDIT VERIFY").code == 250)
            }
            for (index, text) in Self.hostileTexts.enumerated() {
                try await ConsoleClient.withConnection(port: server.port) {
                    (client: ConsoleClient) async throws -> Void in
                    #expect(
                        try await client.request("AUTH u\(index) \(Self.quote("pw " + text))").code == 250,
                        "password \(text.debugDescription)")
                }
            }
            // Nothing was executed: every table is still there, and nothing was dropped or emptied.
            #expect(
                try await DatabaseSnapshot.count(server.conninfo, "SELECT count(*) FROM cases")
                    == Self.hostileTexts.count)
            #expect(try await DatabaseSnapshot.count(server.conninfo, "SELECT count(*) FROM audit_log") > 0)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"))
        }
    }

    /// A console word holding `text` exactly.
    static func quote(_ text: String) -> String { Tokenizer.quoted(text) }

    /// A raw C0 or C1 control character or DEL (tab allowed: it aligns text columns).
    static func hasControl(_ line: String) -> Bool {
        line.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// `text` as a JSON string literal (control characters as \u escapes).
    static func jsonString(_ text: String) -> String {
        let array = try! JSONSerialization.data(withJSONObject: [text])
        return String(decoding: array.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Every string anywhere inside a parsed JSON value.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let object as [String: Any]: object.values.flatMap(strings(in:))
        case let array as [Any]: array.flatMap(strings(in:))
        default: []
        }
    }
}
