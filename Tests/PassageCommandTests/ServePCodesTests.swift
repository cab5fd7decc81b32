import ArgumentParser
import Foundation
import Testing

@testable import passage

/// `passage serve --pcodes FILE`: settable like every option of serve (command line, PASSAGE_PCODES,
/// `pcodes =` in passage.conf), and checked before anything starts: a file that is not a P-code
/// mapping is refused with the option, the file and what is wrong.
@Suite("serve --pcodes")
struct ServePCodesTests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "passage-pcodes-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func serve(_ arguments: [String], file: String? = nil, environment: [String: String] = [:]) throws -> Serve {
        let settings = try CommandLineSettings.settle(arguments, environment: environment) { explicit in
            try file.map { try ConfigurationFile.parse($0, path: explicit ?? "/etc/passage/passage.conf") }
        }
        return try #require(try Passage.parseAsRoot(settings.arguments) as? Serve)
    }

    @Test("a good mapping is taken from the command line, the environment or the file")
    func accepted() throws {
        let good = try Self.file("iso3166_2,pcode\nCO-ANT,CO05\nCO-BOL,CO13\n")
        defer { try? FileManager.default.removeItem(atPath: good) }
        #expect(try serve(["serve", "--pcodes", good]).pcodes == good)
        #expect(try serve(["serve"], environment: ["PASSAGE_PCODES": good]).pcodes == good)
        #expect(try serve(["serve"], file: "pcodes = \(good)\n").pcodes == good)
        #expect(try serve(["serve"]).pcodes == nil)
        #expect(try PCodesOption.load(good).pcode(area: "CO-BOL") == "CO13")
    }

    @Test("a missing file, a wrong header, an area mapped twice: refused at start, naming --pcodes and the problem")
    func refused() throws {
        let twice = try Self.file("iso3166_2,pcode\nCO-ANT,CO05\nCO-ANT,CO06\n")
        let header = try Self.file("area,pcode\nCO-ANT,CO05\n")
        let notISO = try Self.file("iso3166_2,pcode\nANT,CO05\n")
        defer { for path in [twice, header, notISO] { try? FileManager.default.removeItem(atPath: path) } }
        for (path, says) in [
            ("/nonexistent/pcodes.csv", "--pcodes: cannot read /nonexistent/pcodes.csv"),
            (twice, "CO-ANT is mapped twice"), (header, "header iso3166_2,pcode"), (notISO, "ISO 3166-2"),
        ] {
            for environment in [[:], ["PASSAGE_PCODES": path]] {
                let arguments = environment.isEmpty ? ["serve", "--pcodes", path] : ["serve"]
                do {
                    _ = try serve(arguments, environment: environment)
                    Issue.record("\(path) was accepted")
                } catch {
                    let message = Passage.message(for: error)
                    #expect(message.contains("--pcodes") && message.contains(says), "\(message)")
                }
            }
        }
    }
}
