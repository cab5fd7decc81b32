import Foundation
import TestSupport
import Testing

@testable import EmbeddedPostgres

/// The embedded cluster runs on the PostgreSQL major version that created it (its PG_VERSION),
/// never on a newer one an operating-system upgrade brought (Docs/operations.md "Upgrading
/// PostgreSQL"). Only one major version is installed here, so an older one is played by a
/// version root with a stand-in `pg_ctl` that reports that version.
@Suite("Embedded cluster: pinned to its PostgreSQL major version")
struct ClusterVersionTests {
    /// A directory laid out as the embedded cluster's, whose data/PG_VERSION names `version`.
    static func clusterDirectory(version: String, _ label: String) throws -> String {
        let directory = "/tmp/passage-cv-\(getpid())-\(label)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try "\(version)\n".write(toFile: directory + "/data/PG_VERSION", atomically: true, encoding: .utf8)
        return directory
    }

    /// A versions root holding the real installation under its own version and a stand-in for
    /// PostgreSQL 11 (programs that only say their version, and that nothing runs).
    static func versionsRoot(_ label: String) throws -> (root: String, installed: PostgresInstallation, version: String) {
        let installed = try PostgresInstallation.locate()
        let version = try #require(installed.majorVersion())
        let root = "/tmp/passage-cv-\(getpid())-\(label)-root"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root + "/11/bin", withIntermediateDirectories: true)
        for tool in ["initdb", "pg_ctl"] {
            let path = root + "/11/bin/" + tool
            // --version says 11; anything else (pg_ctl status) says "not running".
            try "#!/bin/sh\ncase \"$1\" in --version) echo '\(tool) (PostgreSQL) 11.22';; *) exit 3;; esac\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/" + version, withDestinationPath: installed.binDirectory + "/..")
        return (root, installed, version)
    }

    @Test("the major version is read from a tool's --version line, old two-part numbers included")
    func versionLines() {
        #expect(ClusterVersion.major(fromVersionLine: "pg_ctl (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)\n") == "15")
        #expect(ClusterVersion.major(fromVersionLine: "pg_ctl (PostgreSQL) 17beta1") == "17")
        #expect(ClusterVersion.major(fromVersionLine: "pg_ctl (PostgreSQL) 9.6.24") == "9.6")
        #expect(ClusterVersion.major(fromVersionLine: "something else") == nil)
    }

    @Test("an existing cluster gets the server of its own version, not the newest one installed")
    func existingClusterKeepsItsVersion() throws {
        let (root, installed, version) = try Self.versionsRoot("keep")
        let cluster = try Self.clusterDirectory(version: "11", "keep")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: cluster)
        }
        #expect(Int(version) ?? 0 > 11)
        // A new cluster gets the newest …
        let fresh = try PostgresInstallation.locate(environment: [:], askPgConfig: false, versionsRoot: root)
        #expect(fresh.binDirectory == "\(root)/\(version)/bin")
        // … an existing one the version that created it.
        let pinned = try PostgresInstallation.locate(
            forClusterIn: cluster, environment: [:], askPgConfig: false, versionsRoot: root)
        #expect(pinned.binDirectory == "\(root)/11/bin")
        #expect(installed.majorVersion() == version)
    }

    @Test("a cluster whose version is not installed is refused, naming both versions, pg_upgrade and upgrade-cluster")
    func missingVersionIsExplained() throws {
        let installed = try PostgresInstallation.locate()
        let version = try #require(installed.majorVersion())
        let cluster = try Self.clusterDirectory(version: "11", "missing")
        defer { try? FileManager.default.removeItem(atPath: cluster) }
        do {
            _ = try PostgresInstallation.locate(forClusterIn: cluster)
            Issue.record("a PostgreSQL 11 cluster was given a server")
        } catch let error as EmbeddedClusterError {
            let text = error.description
            #expect(text.contains("created by PostgreSQL 11 (its PG_VERSION), and no PostgreSQL 11 server is installed"))
            #expect(text.contains("installed: PostgreSQL \(version) in \(installed.binDirectory)"))
            #expect(text.contains("apt-get install postgresql-11"))
            #expect(text.contains("passage upgrade-cluster --data-dir \(cluster)"))
            #expect(
                text.contains(
                    "pg_upgrade --old-bindir /usr/lib/postgresql/11/bin --new-bindir \(installed.binDirectory) --old-datadir \(cluster)/data --new-datadir \(cluster)/data-\(version)"
                ))
        }
        // Starting it with the installed server is refused the same way, and nothing is changed.
        #expect(throws: EmbeddedClusterError.self) {
            try EmbeddedCluster(directory: cluster, installation: installed).start()
        }
        #expect(try String(contentsOfFile: cluster + "/data/PG_VERSION", encoding: .utf8) == "11\n")
        #expect(!FileManager.default.fileExists(atPath: cluster + "/data/postmaster.pid"))
    }

    @Test("PASSAGE_PG_BINDIR of another version is refused for an existing cluster, not silently replaced")
    func explicitOtherVersionRefused() throws {
        let (root, installed, _) = try Self.versionsRoot("explicit")
        let cluster = try Self.clusterDirectory(version: "11", "explicit")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: cluster)
        }
        #expect(throws: EmbeddedClusterError.self) {
            try PostgresInstallation.locate(
                forClusterIn: cluster, environment: ["PASSAGE_PG_BINDIR": installed.binDirectory], askPgConfig: false,
                versionsRoot: root)
        }
    }

    @Test("a cluster of the installed version is found with that version and starts")
    func installedVersionStarts() async throws {
        let started = try await offThePool { () throws -> Bool in
            let directory = "/tmp/passage-cv-\(getpid())-installed"
            try? FileManager.default.removeItem(atPath: directory)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let first = EmbeddedCluster(directory: directory, installation: try PostgresInstallation.locate())
            try first.start()
            try first.stop()
            let installation = try PostgresInstallation.locate(forClusterIn: directory)
            #expect(installation.majorVersion() == ClusterVersion.of(dataDirectory: directory + "/data"))
            let again = EmbeddedCluster(directory: directory, installation: installation)
            try again.start()
            defer { try? again.stop(immediate: true) }
            return again.isRunning()
        }
        #expect(started)
    }
}
