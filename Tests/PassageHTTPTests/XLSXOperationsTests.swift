import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Postgres
import TestSupport
import Testing

/// The xlsx form of the HTTP API's tables (`?format=xlsx` or `Accept:` the spreadsheet type),
/// opened with openpyxl (Tests/Python/check_xlsx.py): the same rows and numbers as the CSV form
/// of the same release, the protections on a sheet of their own, no formula anywhere, and a
/// provider named like a formula neutralised as in the CSV form.
@Suite(.serialized) struct XLSXOperationsTests {
    /// Writes `bytes` to a temporary file and checks it with check_xlsx.py and `arguments`.
    static func check(_ bytes: [UInt8], _ arguments: [String]) async throws -> (Int32, String) {
        let file = NSTemporaryDirectory() + "passage-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try await PythonCheck.run("check_xlsx.py", [file] + arguments)
    }

    @Test func statisticsAsXLSXHoldTheCSVsNumbersAndTheProtections() async throws {
        try await HTTPFixture.with(accounts: StatisticsOperationsTests.accounts) { fixture, client in
            try await StatisticsOperationsTests.populate(fixture)
            let policy = try await client.signIn("policy")
            let path = "/v1/statistics?by=origin,sex,age_band&k=5&totals=yes"
            let csv = try await client.call(.get, path + "&format=csv", as: policy)
            #expect(csv.status == .ok)
            let xlsx = try await client.call(
                .get, path, as: policy, headers: [.accept: XLSXWorkbook.mediaType])
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == XLSXWorkbook.mediaType)
            #expect(xlsx.headers[.contentDisposition]?.hasSuffix(".xlsx\"") == true)
            #expect(xlsx.headers[PassageHeader.protections] == csv.headers[PassageHeader.protections])
            let bytes = Array(xlsx.body.readableBytesView)
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))  // a ZIP file, as every XLSX
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            // Some counts are suppressed (empty), some shown: the comparison covers both.
            #expect(lines.contains { $0.contains(",,true") } && lines.contains { $0.hasSuffix(",false") })
            let csvFile = try PythonCheck.temporaryFile(lines, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: csvFile) }
            let (status, output) = try await Self.check(bytes, ["--csv", csvFile])
            #expect(status == 0, "\(output)")
            #expect(output.contains("xlsx: ok sheets=2"))

            // The same release gives the same bytes (the file's time is the release's boundary).
            let again = try await client.call(.get, path + "&format=xlsx", as: policy)
            #expect(Array(again.body.readableBytesView) == bytes)

            // Microdata too.
            let microdata = try await client.call(.get, "/v1/exports/microdata?format=xlsx", as: policy)
            #expect(microdata.status == .ok, "\(microdata.text)")
            let microdataCSV = try await client.call(.get, "/v1/exports/microdata?format=csv", as: policy)
            let microdataFile = try PythonCheck.temporaryFile(
                microdataCSV.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: microdataFile) }
            let (microdataStatus, microdataOutput) = try await Self.check(
                Array(microdata.body.readableBytesView), ["--csv", microdataFile])
            #expect(microdataStatus == 0, "\(microdataOutput)")
        }
    }

    @Test func gapsAsXLSXNeutraliseAProviderNamedLikeAFormula() async throws {
        try await HTTPFixture.with(accounts: GapsOperationsTests.accounts) { fixture, client in
            try await GapsFormulaInjectionTests.makeHostileProvider(on: fixture.pool)
            let policy = try await client.signIn("gap-policy")
            let csv = try await client.call(.get, "/v1/gaps/overdue?by=provider&format=csv", as: policy)
            let xlsx = try await client.call(.get, "/v1/gaps/overdue?by=provider&format=xlsx", as: policy)
            #expect(xlsx.status == .ok, "\(xlsx.text)")
            let csvFile = try PythonCheck.temporaryFile(
                csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }, suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: csvFile) }
            let (status, output) = try await Self.check(
                Array(xlsx.body.readableBytesView), ["--csv", csvFile, "--text", GapsFormulaInjectionTests.hostile])
            #expect(status == 0, "\(output)")
        }
    }
}
