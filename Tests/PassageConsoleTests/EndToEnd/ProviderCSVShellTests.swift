import Foundation
import Testing

@Suite("Provider directory CSV from the shell")
struct ProviderCSVShellTests {
    @Test("passage provider import|export: problems named by line and column, nothing imported; export round-trips")
    func importAndExport() async throws {
        try await NetcatShellTests.runScript(
            "provider-csv",
            [
                try NetcatShellTests.passageBinary(),
                NetcatShellTests.repository.appendingPathComponent("Schema").path,
            ])
    }
}
