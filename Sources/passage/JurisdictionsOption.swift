import ArgumentParser
import Foundation
import PassageCore

/// `--jurisdictions FILE`: replaces the OAU 1969 and Cartagena 1984 lists, which operators
/// keep current as states ratify or apply the instruments.
enum JurisdictionsOption {
    /// A jurisdictions file is a few hundred bytes; anything larger is not one.
    static let sizeLimit = 1 << 20

    static func load(_ path: String?) throws -> Jurisdictions {
        guard let path else { return .default }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--jurisdictions: cannot read \(path)")
        }
        guard size <= sizeLimit else {
            throw ValidationError(
                "--jurisdictions: \(path) is larger than \(sizeLimit) bytes, not a jurisdictions file")
        }
        do {
            return try Jurisdictions(jsonFile: [UInt8](data))
        } catch {
            throw ValidationError("--jurisdictions: \(path): \(error)")
        }
    }
}
