import ArgumentParser
import Foundation
import Testing

import PassageServices

@testable import passage

/// `passage backup` and `passage restore`: what they check before pgBackRest runs (the
/// restore drill, Deploy/drills/restore.sh, runs them end to end).
@Suite("Backup and restore: inputs and checks")
struct BackupTests {
    /// A scratch directory, removed by the caller.
    func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "passage-backup-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, to path: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    // MARK: the point in time

    @Test("--to takes a date and time with its zone and means the same instant in UTC")
    func targets() throws {
        let utc = try RestoreTarget(parsing: "2026-12-05 17:03:04+00")
        #expect(utc.postgresText == "2026-12-05 17:03:04.000000+00")
        #expect(try RestoreTarget(parsing: "2026-12-05T17:03:04Z") == utc)
        #expect(try RestoreTarget(parsing: "2026-12-05 18:33:04+01:30") == utc)
        #expect(try RestoreTarget(parsing: "2026-12-05 12:03:04-0500") == utc)
        let fraction = try RestoreTarget(parsing: "2026-12-05 17:03:04.5Z")
        #expect(fraction.microseconds == utc.microseconds + 500_000)
        #expect(fraction.postgresText == "2026-12-05 17:03:04.500000+00")
        #expect(try RestoreTarget(parsing: "2026-12-05 17:03:04.123456+00").postgresText == "2026-12-05 17:03:04.123456+00")
    }

    @Test("a time without its zone, an impossible date or offset, or other text is refused with an example")
    func badTargets() {
        for text in [
            "2026-12-05 17:03:04", "yesterday", "2026-02-30 10:00:00+00", "2026-12-05 24:00:00+00",
            "2026-12-05 17:03:04+15", "2026-12-05 17:03:04.1234567+00", "2026-12-05 17:03:04+00; rm -rf /",
        ] {
            #expect(throws: BackupError.self, "\(text)") { try RestoreTarget(parsing: text) }
        }
        #expect(throws: (any Error).self) { try Restore.parse(["--to", "2026-12-05 17:03:04"]) }
        #expect(throws: (any Error).self) { try Restore.parse(["--latest", "--to", "2026-12-05 17:03:04+00"]) }
        #expect(throws: (any Error).self) { try Restore.parse(["--set", "x; rm"]) }
        #expect(throws: (any Error).self) { try Backup.parse(["--full", "--incremental"]) }
        #expect(throws: (any Error).self) { try Backup.parse(["--database-url", "postgresql://db/passage"]) }
    }

    // MARK: the backup configuration

    @Test("the configuration must name a repository, encrypt it with a passphrase, and be private")
    func configurationChecks() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/backup.conf"
        let good = """
            [global]
            repo1-path=/var/lib/passage-backup
            repo1-cipher-type=aes-256-cbc
            repo1-cipher-pass=\(String(repeating: "ab", count: 32))
            """
        try write(good, to: path)
        #expect(try BackupConfigurationFile.read(path).repository == "/var/lib/passage-backup")

        try write(good.replacingOccurrences(of: "repo1-cipher-type=aes-256-cbc\n", with: ""), to: path)
        #expect(throws: BackupError.self) { try BackupConfigurationFile.read(path) }
        try write(good.replacingOccurrences(of: "repo1-cipher-pass=", with: "# repo1-cipher-pass="), to: path)
        #expect(throws: BackupError.self) { try BackupConfigurationFile.read(path) }
        try write(good.replacingOccurrences(of: "repo1-path=/var", with: "repo1-path=var"), to: path)
        #expect(throws: BackupError.self) { try BackupConfigurationFile.read(path) }
        try write(good, to: path, mode: 0o640)
        let error = try #require(throws: BackupError.self) { try BackupConfigurationFile.read(path) }
        #expect(error.description.contains("chmod 600"))
    }

    @Test("a new configuration gets its own random passphrase, mode 0600, and never replaces a file")
    func configurationCreated() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try BackupConfigurationFile.create(at: directory + "/a.conf", repository: "/srv/backup")
        _ = try BackupConfigurationFile.create(at: directory + "/b.conf", repository: "/srv/backup")
        #expect(try BackupConfigurationFile.read(first.path).repository == "/srv/backup")
        let mode = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        func passphrase(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .first { $0.hasPrefix("repo1-cipher-pass=") }.map { String($0.dropFirst("repo1-cipher-pass=".count)) } ?? ""
        }
        #expect(try passphrase(first.path).count == 64)
        #expect(try passphrase(first.path) != passphrase(directory + "/b.conf"))
        #expect(throws: BackupError.self) { try BackupConfigurationFile.create(at: first.path, repository: "/elsewhere") }
        #expect(try BackupConfigurationFile.read(first.path).repository == "/srv/backup")
    }

    @Test("setup refuses a configuration or a repository inside the data directory before touching anything")
    func setupPlacement() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        var setup = try BackupSetup.parse([
            "--data-dir", data, "--backup-config", data + "/backup.conf", "--backup-repo", directory + "/repo",
        ])
        var error = try #require(throws: BackupError.self) { try setup.run() }
        #expect(error.description.contains("lies in the data directory"))
        setup = try BackupSetup.parse([
            "--data-dir", data, "--backup-config", directory + "/backup.conf", "--backup-repo", data + "/repo",
        ])
        error = try #require(throws: BackupError.self) { try setup.run() }
        #expect(error.description.contains("must not contain each other"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/backup.conf"))
        setup = try BackupSetup.parse([
            "--data-dir", data, "--backup-config", directory + "/backup.conf", "--backup-repo", directory + "/it's",
        ])
        error = try #require(throws: BackupError.self) { try setup.run() }
        #expect(error.description.contains("archive_command"))
    }

    // MARK: the personal-data key

    @Test("the fingerprint is the SHA-256 of the key as Passage reads it, never the key")
    func fingerprint() throws {
        let key = String(repeating: "0123456789abcdef", count: 4)
        let atHand = try PersonalDataKeyAtHand(origin: "test", path: nil, text: key + "\n")
        // printf %s 0123…cdef(×4) | sha256sum
        #expect(atHand.fingerprint == "a8ae6e6ee929abea3afcfc5258c8ccd6f85273e0d4626d26c7279f3250f77c8e")
        #expect(atHand.fingerprint == PersonalDataKeyAtHand.fingerprint(of: "  " + key))
        #expect(!atHand.fingerprint.contains(key))
        #expect(throws: BackupError.self) { try PersonalDataKeyAtHand(origin: "short", path: nil, text: "too short") }
    }

    @Test("the key is found where the server finds it: --pii-key-file, then PASSAGE_PII_KEY, then the data directory")
    func keyLookup() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inData = String(repeating: "d", count: 64)
        let fromFile = String(repeating: "f", count: 64)
        let fromEnvironment = String(repeating: "e", count: 64)
        #expect(try PersonalDataKeyAtHand.locate(file: nil, environment: [:], dataDirectory: directory) == nil)
        try write(inData, to: directory + "/pii.key")
        try write(fromFile, to: directory + "/other.key")
        let environment = ["PASSAGE_PII_KEY": fromEnvironment]
        #expect(
            try PersonalDataKeyAtHand.locate(file: nil, environment: [:], dataDirectory: directory)?.fingerprint
                == PersonalDataKeyAtHand.fingerprint(of: inData))
        #expect(
            try PersonalDataKeyAtHand.locate(file: nil, environment: environment, dataDirectory: directory)?.origin
                == "PASSAGE_PII_KEY")
        #expect(
            try PersonalDataKeyAtHand.locate(file: directory + "/other.key", environment: environment, dataDirectory: directory)?
                .fingerprint == PersonalDataKeyAtHand.fingerprint(of: fromFile))
        #expect(throws: BackupError.self) {
            try PersonalDataKeyAtHand.locate(file: directory + "/missing.key", environment: [:], dataDirectory: directory)
        }
    }

    @Test("a key inside the cluster is refused; one in the data directory only with --key-kept-elsewhere; one apart is fine")
    func keyPlacement() throws {
        let data = "/var/lib/passage"
        let cluster = data + "/data"
        func key(_ path: String?) throws -> PersonalDataKeyAtHand {
            try PersonalDataKeyAtHand(origin: path ?? "PASSAGE_PII_KEY", path: path, text: String(repeating: "k", count: 64))
        }
        #expect(try key("/etc/passage/pii.key").checkForBackup(dataDirectory: data, clusterDirectory: cluster, keptElsewhere: false) == nil)
        #expect(try key(nil).checkForBackup(dataDirectory: data, clusterDirectory: cluster, keptElsewhere: false) == nil)
        #expect(try key("/var/lib/passage-other/pii.key").placement(dataDirectory: data, clusterDirectory: cluster) == .apart)
        let inside = try key(data + "/pii.key")
        let refusal = try #require(throws: BackupError.self) {
            try inside.checkForBackup(dataDirectory: data, clusterDirectory: cluster, keptElsewhere: false)
        }
        #expect(refusal.description.contains("--key-kept-elsewhere"))
        let warning = try inside.checkForBackup(dataDirectory: data, clusterDirectory: cluster, keptElsewhere: true)
        #expect(warning?.hasPrefix("WARNING") == true)
        #expect(throws: BackupError.self) {
            try key(cluster + "/pii.key").checkForBackup(dataDirectory: data, clusterDirectory: cluster, keptElsewhere: true)
        }
    }

    // MARK: the repository's backups

    static let info = """
        [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000009","min":"000000010000000000000001"}],\
        "backup":[\
        {"annotation":{"pii-key-sha256":"\(String(repeating: "a", count: 64))","passage-version":"passage_0.1.0"},\
        "archive":{"start":"000000010000000000000003","stop":"000000010000000000000003"},"backrest":{"format":5,"version":"2.45"},\
        "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":57147392,"repository":{"delta":6501234,"size":6501234},"size":57147392},\
        "label":"20261205-164709F","lsn":{"start":"0/3000028","stop":"0/3000100"},"prior":null,"reference":null,\
        "timestamp":{"start":1796489229,"stop":1796489231},"type":"full"},\
        {"archive":{"start":"000000010000000000000006","stop":"000000010000000000000006"},"backrest":{"format":5,"version":"2.45"},\
        "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":4000000,"repository":{"delta":2500000,"size":8900000},"size":62000000},\
        "label":"20261205-164709F_20261205-164718I","lsn":{"start":"0/6000028","stop":"0/6000100"},"prior":"20261205-164709F",\
        "reference":["20261205-164709F"],"timestamp":{"start":1796489238,"stop":1796489239},"type":"incr"}],\
        "cipher":"aes-256-cbc","db":[{"id":1,"repo-key":1,"system-id":7580000000000000000,"version":"15"}],"name":"passage",\
        "repo":[{"cipher":"aes-256-cbc","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
        """

    @Test("pgbackrest info's JSON gives the backups, their times, sizes and recorded key")
    func parseInfo() throws {
        let sets = try BackupSet.parse(info: "WARN: something first\n" + Self.info)
        #expect(sets.map(\.label) == ["20261205-164709F", "20261205-164709F_20261205-164718I"])
        #expect(sets[0].keyFingerprint == String(repeating: "a", count: 64))
        #expect(sets[1].keyFingerprint == nil)
        #expect(sets[1].info.repository.delta == 2_500_000)
        #expect(sets[0].stopped == Date(timeIntervalSince1970: 1_796_489_231))
        #expect(try BackupSet.parse(info: #"[{"name":"passage","backup":[],"status":{"code":1,"message":"missing stanza path"}}]"#).isEmpty)
        #expect(throws: BackupError.self) { try BackupSet.parse(info: "ERROR: [055]: unable to load info file") }
    }

    @Test("a restore to a moment takes the newest backup finished before it; --set after the moment is refused")
    func chooseBackup() throws {
        let sets = try BackupSet.parse(info: Self.info)
        let restore = try Restore.parse([])
        #expect(try restore.choose(from: sets, target: nil).label == sets[1].label)
        #expect(try restore.choose(from: sets, target: RestoreTarget(microseconds: 1_796_489_235 * 1_000_000)).label == sets[0].label)
        #expect(try restore.choose(from: sets, target: RestoreTarget(microseconds: 1_796_489_300 * 1_000_000)).label == sets[1].label)
        let early = try #require(throws: BackupError.self) {
            try restore.choose(from: sets, target: RestoreTarget(microseconds: 1_796_489_230 * 1_000_000))
        }
        #expect(early.description.contains("no backup finished before"))
        let named = try Restore.parse(["--set", sets[1].label])
        #expect(throws: BackupError.self) {
            try named.choose(from: sets, target: RestoreTarget(microseconds: 1_796_489_235 * 1_000_000))
        }
        #expect(throws: BackupError.self) { try Restore.parse(["--set", "20990101-000000F"]).choose(from: sets, target: nil) }
        #expect(throws: BackupError.self) { try restore.choose(from: [], target: nil) }
    }

    @Test("a restore refuses a key other than the one the backup recorded, naming the one it needs")
    func keyMismatch() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorded = String(repeating: "r", count: 64)
        try write(recorded, to: directory + "/right.key")
        try write(String(repeating: "w", count: 64), to: directory + "/wrong.key")
        let sets = try BackupSet.parse(
            info: Self.info.replacingOccurrences(
                of: String(repeating: "a", count: 64), with: PersonalDataKeyAtHand.fingerprint(of: recorded)))
        let right = try Restore.parse(["--data-dir", directory, "--pii-key-file", directory + "/right.key"])
        try right.checkKey(sets[0], directory: directory)
        let wrong = try Restore.parse(["--data-dir", directory, "--pii-key-file", directory + "/wrong.key"])
        let error = try #require(throws: BackupError.self) { try wrong.checkKey(sets[0], directory: directory) }
        #expect(error.description.contains(PersonalDataKeyAtHand.fingerprint(of: recorded)))
        let none = try Restore.parse(["--data-dir", directory + "/nothing-here"])
        #expect(throws: BackupError.self) { try none.checkKey(sets[0], directory: directory + "/nothing-here") }
        let anyway = try Restore.parse([
            "--data-dir", directory, "--pii-key-file", directory + "/wrong.key", "--without-matching-key",
        ])
        try anyway.checkKey(sets[0], directory: directory)
        // A backup taken by pgBackRest directly records no key: nothing to compare, no refusal.
        try wrong.checkKey(sets[1], directory: directory)
    }

    @Test("without a flag: full when there is no full backup or the newest is --full-every days old")
    func backupType() throws {
        // The sample's full backup as if it had finished three days ago.
        let threeDaysAgo = Int(Date().timeIntervalSince1970) - 3 * 86_400
        let sets = try BackupSet.parse(
            info: Self.info.replacingOccurrences(of: "1796489231", with: String(threeDaysAgo)))
        #expect(try Backup.parse([]).chooseType(existing: []) == "full")
        #expect(try Backup.parse([]).chooseType(existing: sets) == "incr")
        #expect(try Backup.parse(["--full-every", "2"]).chooseType(existing: sets) == "full")
        #expect(try Backup.parse(["--full-every", "2", "--incremental"]).chooseType(existing: sets) == "incr")
        #expect(try Backup.parse(["--full"]).chooseType(existing: sets) == "full")
        #expect(throws: (any Error).self) { try Backup.parse(["--full-every", "0"]) }
    }
}
