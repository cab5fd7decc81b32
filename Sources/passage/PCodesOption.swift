import ArgumentParser
import Foundation
import PassageCore

/// `--pcodes FILE` (`passage serve`, `passage export`): the operator's mapping of ISO 3166-2 areas
/// to OCHA P-codes (`iso3166_2,pcode` lines, `PCodeMapping`), which gives HXL outputs their
/// `area_pcode` column (`#adm1+code+v_pcode`) so HDX joins them on P-codes. Replaceable: the
/// operator keeps it current from OCHA's common operational datasets.
enum PCodesOption {
    /// A country's admin-1 and admin-2 codes are a few hundred kilobytes at most.
    static let sizeLimit = 16 << 20

    /// The mapping in `path`, read and checked; every problem names the option, the file and the line.
    static func load(_ path: String) throws -> PCodeMapping {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw ValidationError("--pcodes: cannot read \(path) as UTF-8 text")
        }
        guard size <= sizeLimit else {
            throw ValidationError("--pcodes: \(path) is larger than \(sizeLimit) bytes, not a P-code mapping")
        }
        do { return try PCodeMapping.parse(csv: text) } catch { throw ValidationError("--pcodes \(path): \(error)") }
    }
}
