import ArgumentParser
import Foundation
import Testing

@testable import passage

/// `passage pii-key rotate` takes both keys from where `passage serve` takes them, so an
/// operator mid-rotation runs it without repeating the paths; `serve` takes the previous key
/// from the file and PASSAGE_PII_PREVIOUS_KEY_FILE like every option.
@Suite("passage pii-key")
struct PIIKeyCommandTests {
    static let file = """
        data-dir = /var/lib/passage
        pii-key-file = /etc/passage/pii-2027.key
        pii-previous-key-file = /etc/passage/pii.key
        http-port = 7501
        """

    func settle(_ arguments: [String], environment: [String: String] = [:]) throws -> [String] {
        try CommandLineSettings.settle(arguments, environment: environment) { explicit in
            try ConfigurationFile.parse(Self.file, path: explicit ?? "/etc/passage/passage.conf")
        }.arguments
    }

    @Test("rotate and serve read both key files from passage.conf; the environment and the command line win")
    func keysFromTheConfiguration() throws {
        let rotate = try settle(["pii-key", "rotate", "--batch", "100"])
        #expect(
            rotate.sorted() == [
                "--batch", "--data-dir=/var/lib/passage", "--pii-key-file=/etc/passage/pii-2027.key",
                "--pii-previous-key-file=/etc/passage/pii.key", "100", "pii-key", "rotate",
            ].sorted())
        let parsed = try #require(try Passage.parseAsRoot(rotate) as? PIIKeyCommand.Rotate)
        #expect(parsed.piiKeyFile == "/etc/passage/pii-2027.key")
        #expect(parsed.piiPreviousKeyFile == "/etc/passage/pii.key")
        #expect(parsed.batch == 100)

        let serve = try #require(
            try Passage.parseAsRoot(
                try settle(["serve"], environment: ["PASSAGE_PII_PREVIOUS_KEY_FILE": "/srv/old.key"])) as? Serve)
        #expect(serve.piiPreviousKeyFile == "/srv/old.key")
        #expect(serve.hostOptions(classifier: .init()).previousPersonalDataKeyFile == "/srv/old.key")
        let given = try #require(
            try Passage.parseAsRoot(try settle(["serve", "--pii-previous-key-file", "/x.key"])) as? Serve)
        #expect(given.piiPreviousKeyFile == "/x.key")
        // `generate` names its file itself and reads no setting.
        #expect(try settle(["pii-key", "generate", "/tmp/k"]) == ["pii-key", "generate", "/tmp/k"])
    }

    @Test("rotate is refused without the previous key and with a batch out of range, naming the option")
    func refusals() {
        for (arguments, needle) in [
            (["pii-key", "rotate"], "--pii-previous-key-file"),
            (["pii-key", "rotate", "--pii-previous-key-file", "/k", "--batch", "0"], "--batch"),
        ] {
            do {
                _ = try Passage.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(Passage.message(for: error).contains(needle), "\(Passage.message(for: error))")
            }
        }
    }
}
