import ArgumentParser
import Logging
import PassageServices
import Testing

@testable import passage

/// `--log-format`, `--log-level`, `--metrics-listen`: settable like every option of serve, and
/// checked before anything starts (Docs/operations.md "Logs and metrics").
@Suite struct ObservabilityOptionsTests {
    func serve(_ arguments: [String], file: String? = nil, environment: [String: String] = [:]) throws -> Serve {
        let settings = try CommandLineSettings.settle(["serve"] + arguments, environment: environment) { explicit in
            try file.map { try ConfigurationFile.parse($0, path: explicit ?? "/etc/passage/passage.conf") }
        }
        return try #require(try Passage.parseAsRoot(settings.arguments) as? Serve)
    }

    @Test func theDefaultsAreTextInfoAndLoopbackMetrics() throws {
        let options = try serve([]).observability
        #expect(try options.format() == .text)
        #expect(try options.level() == .info)
        #expect(try MetricsAddress.parse(options.metricsListen) == MetricsAddress(host: "127.0.0.1", port: 7413))
    }

    @Test func theFileAndTheEnvironmentSetThemBelowTheCommandLine() throws {
        let options = try serve(
            ["--log-level", "debug"], file: "log-format = json\nlog-level = warning\nmetrics-listen = off\n",
            environment: ["PASSAGE_METRICS_LISTEN": "[::1]:9100"]
        ).observability
        #expect(try options.format() == .json)
        #expect(try options.level() == .debug)
        #expect(try MetricsAddress.parse(options.metricsListen) == MetricsAddress(host: "::1", port: 9100))
        #expect(try MetricsAddress.parse(try serve(["--metrics-listen", "off"]).observability.metricsListen) == nil)
    }

    @Test func badValuesAndAnOpenMetricsAddressAreRefused() throws {
        for arguments in [
            ["--log-format", "xml"], ["--log-level", "verbose"], ["--metrics-listen", "7413"],
            ["--metrics-listen", "127.0.0.1:99999"], ["--metrics-listen", "::1:7413"],
            ["--metrics-listen", "0.0.0.0:7413"], ["--metrics-listen", "192.0.2.7:7413"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { try serve(arguments) }
        }
        // A trusted network: said with --insecure.
        let open = try serve(["--metrics-listen", "0.0.0.0:7413", "--insecure"]).observability
        #expect(try MetricsAddress.parse(open.metricsListen) == MetricsAddress(host: "0.0.0.0", port: 7413))
    }
}
