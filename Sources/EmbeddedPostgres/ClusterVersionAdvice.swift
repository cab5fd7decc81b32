/// What to do when the embedded cluster's PostgreSQL version is not installed: the message of
/// `EmbeddedClusterError.clusterVersionNotInstalled`, naming both versions and the exact commands.
enum ClusterVersionAdvice {
    static func text(directory: String, clusterVersion old: String, installed: [InstalledServer], versionsRoot root: String)
        -> String
    {
        let data = directory + "/data"
        let oldBin = "\(root)/\(old)/bin"
        var lines = [
            "the PostgreSQL cluster in \(data) was created by PostgreSQL \(old) (its PG_VERSION), "
                + "and no PostgreSQL \(old) server is installed; a cluster opens only with the major version that created it, so Passage will not start it with another"
        ]
        if installed.isEmpty {
            lines.append("no other PostgreSQL server was found either")
        } else {
            lines.append(
                "installed: " + installed.map { "PostgreSQL \($0.version) in \($0.binDirectory)" }.joined(separator: ", "))
        }
        lines.append(
            "to run it as it is: install PostgreSQL \(old)'s server again (apt-get install postgresql-\(old); "
                + "from apt.postgresql.org when the distribution no longer has it) and start Passage again")
        if let newer = installed.first {
            let newBin = newer.binDirectory
            let newData = "\(directory)/data-\(newer.version)"
            lines.append(
                "to move it to PostgreSQL \(newer.version): with PostgreSQL \(old) installed again and Passage stopped, run "
                    + "`passage upgrade-cluster --data-dir \(directory)`, which does, as the cluster's owner: "
                    + "`\(newBin)/initdb -D \(newData) -U postgres -A trust -E UTF8 --locale=C.UTF-8` then "
                    + "`\(newBin)/pg_upgrade --old-bindir \(oldBin) --new-bindir \(newBin) --old-datadir \(data) --new-datadir \(newData)` "
                    + "and swaps the directories (Docs/operations.md \"Upgrading PostgreSQL\")")
        }
        return lines.joined(separator: "; ")
    }
}
