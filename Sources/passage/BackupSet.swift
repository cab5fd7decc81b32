import Foundation

/// One backup in the repository, from `pgbackrest info --output=json`.
struct BackupSet: Decodable {
    struct Times: Decodable {
        let start: Int
        let stop: Int
    }
    struct Sizes: Decodable {
        struct Repository: Decodable {
            let size: Int
            let delta: Int
        }
        let size: Int
        let delta: Int
        let repository: Repository
    }
    let label: String
    let type: String
    let timestamp: Times
    let info: Sizes
    let annotation: [String: String]?

    var started: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.start)) }
    var stopped: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.stop)) }
    /// The personal-data key's fingerprint `passage backup` recorded (nil when taken otherwise).
    var keyFingerprint: String? { annotation?[PersonalDataKeyAtHand.annotationKey] }

    private struct Stanza: Decodable {
        struct Status: Decodable {
            let code: Int
            let message: String
        }
        let name: String
        let backup: [BackupSet]
        let status: Status
    }

    /// The stanza's backups, oldest first. A stanza that does not exist yet has none.
    static func parse(info: String) throws -> [BackupSet] {
        guard let start = info.firstIndex(of: "["), let data = String(info[start...]).data(using: .utf8),
            let stanzas = try? JSONDecoder().decode([Stanza].self, from: data)
        else {
            throw BackupError("pgbackrest info gave no readable answer:\n\(info)")
        }
        return stanzas.first(where: { $0.name == BackupCluster.stanza })?.backup ?? []
    }

    static func sizeText(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func timeText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'+00'"
        return formatter.string(from: date)
    }
}
