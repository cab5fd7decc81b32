import ArgumentParser
import PassageServices
import Testing

@testable import passage

/// `--read-database-url`, `--read-max-lag`, `--read-lag-policy` of serve and export: settable
/// like every option of serve, checked before anything starts with an error naming the option
/// (Docs/operations.md "Read replicas and several hosts").
@Suite struct ReadPoolOptionsTests {
    func parse(_ command: String, _ arguments: [String], file: String? = nil, environment: [String: String] = [:])
        throws -> ParsableCommand
    {
        let settings = try CommandLineSettings.settle([command] + arguments, environment: environment) { explicit in
            try file.map { try ConfigurationFile.parse($0, path: explicit ?? "/etc/passage/passage.conf") }
        }
        return try Passage.parseAsRoot(settings.arguments)
    }

    func readPool(_ arguments: [String], file: String? = nil, environment: [String: String] = [:]) throws
        -> ServiceHostOptions.ReadPool?
    {
        let serve = try #require(try parse("serve", arguments, file: file, environment: environment) as? Serve)
        return try serve.readPool.readPool()
    }

    @Test func noURLNoReadPool() throws {
        #expect(try readPool([]) == nil)
    }

    @Test func theDefaultsAreThirtySecondsAndFallback() throws {
        let pool = try #require(try readPool(["--read-database-url", "postgresql://passage@db2/passage"]))
        #expect(pool.url == "postgresql://passage@db2/passage")
        #expect(pool.maxLag == .seconds(30))
        #expect(pool.policy == .fallback)
    }

    @Test func theFileAndTheEnvironmentSetThemBelowTheCommandLine() throws {
        let pool = try #require(
            try readPool(
                ["--read-max-lag", "2.5"],
                file: "read-database-url = host=db2 dbname=passage\nread-max-lag = 60\nread-lag-policy = fallback\n",
                environment: ["PASSAGE_READ_LAG_POLICY": "refuse"]))
        #expect(pool.url == "host=db2 dbname=passage")
        #expect(pool.maxLag == .milliseconds(2500))
        #expect(pool.policy == .refuse)
        // passage export takes them from the same places.
        let export = try #require(
            try parse("export", [], environment: ["PASSAGE_READ_DATABASE_URL": "postgresql://db2/passage"]) as? Export)
        #expect(try export.readPool.readPool()?.url == "postgresql://db2/passage")
    }

    @Test func badValuesAreRefusedNamingTheOption() throws {
        for (arguments, naming) in [
            (["--read-max-lag", "5"], "--read-max-lag applies to --read-database-url"),
            (["--read-lag-policy", "refuse"], "--read-lag-policy applies to --read-database-url"),
            (["--read-database-url", "postgresql://db2/p", "--read-lag-policy", "primary"], "fallback or refuse"),
            (["--read-database-url", "postgresql://db2/p", "--read-max-lag=-1"], "--read-max-lag must be between"),
            (
                ["--read-database-url", "postgresql://db2/p", "--read-max-lag", "90000"],
                "--read-max-lag must be between"
            ),
            (["--read-database-url", "host='unterminated"], "--read-database-url: libpq cannot parse it"),
            (["--read-database-url", " "], "--read-database-url must not be empty"),
        ] {
            do {
                _ = try parse("serve", arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(Passage.message(for: error).contains(naming), "\(arguments): \(Passage.message(for: error))")
            }
        }
    }
}
