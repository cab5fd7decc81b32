import Foundation
import TestSupport
import Testing

@Suite("Provider directory as an HSDS 3 data package from the shell")
struct ProviderHSDSShellTests {
    @Test(
        "passage provider export|import --hsds: valid against HSDS 3.1 with frictionless; export → import → export the same bytes; problems named, nothing imported"
    )
    func packageRoundTrip() async throws {
        try await NetcatShellTests.runScript(
            "provider-hsds",
            [
                try NetcatShellTests.passageBinary(),
                NetcatShellTests.repository.appendingPathComponent("Schema").path,
                PythonCheck.directory.appendingPathComponent("check_hsds.py").path,
            ])
    }
}
