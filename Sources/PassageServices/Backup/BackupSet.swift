import Foundation

/// One backup in the repository, from `pgbackrest info --output=json`.
public struct BackupSet: Decodable {
    public struct Times: Decodable {
        public let start: Int
        public let stop: Int
    }
    public struct Sizes: Decodable {
        public struct Repository: Decodable {
            public let size: Int
            public let delta: Int
        }
        public let size: Int
        public let delta: Int
        public let repository: Repository
    }
    public let label: String
    public let type: String
    public let timestamp: Times
    public let info: Sizes
    public let annotation: [String: String]?

    public var started: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.start)) }
    public var stopped: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.stop)) }
    /// The personal-data key's fingerprint `passage backup` recorded (nil when taken otherwise).
    public var keyFingerprint: String? { annotation?[PersonalDataKeyAtHand.annotationKey] }

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
    public static func parse(info: String) throws -> [BackupSet] {
        guard let start = info.firstIndex(of: "["), let data = String(info[start...]).data(using: .utf8),
            let stanzas = try? JSONDecoder().decode([Stanza].self, from: data)
        else {
            throw BackupError("pgbackrest info gave no readable answer:\n\(info)")
        }
        return stanzas.first(where: { $0.name == BackupCluster.stanza })?.backup ?? []
    }

    public static func sizeText(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    public static func timeText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'+00'"
        return formatter.string(from: date)
    }
}
