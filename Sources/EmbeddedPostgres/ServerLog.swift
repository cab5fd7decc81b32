/// The embedded cluster's log, rotated by PostgreSQL's own logging collector: one file a
/// weekday (`DIR/log/postgresql-Mon.log` …), a new one each day, and the file of the same
/// weekday a week later truncated, so at most seven files exist. (`pg_ctl -l` used to append
/// to one `postgres.log` forever.)
///
/// No size limit: with a fixed name a day's size rotation would reopen the same file and
/// append to it (PostgreSQL truncates only on time-based rotation), so `log_rotation_size`
/// would bound nothing; it is 0, and the daily file holds all of that day.
enum ServerLog {
    static let fileNamePattern = "postgresql-%a.log"

    static func writeSettings(into settings: ServerSettings, logDirectory: String) throws {
        try settings.write(
            "logging",
            settings: [
                ("logging_collector", "on"),
                ("log_destination", "'stderr'"),
                ("log_directory", ServerSettings.quoted(logDirectory)),
                ("log_filename", ServerSettings.quoted(fileNamePattern)),
                ("log_rotation_age", "'1d'"),
                ("log_rotation_size", "0"),
                ("log_truncate_on_rotation", "on"),
                ("log_file_mode", "0600"),
            ],
            comment: "The server's log: one file a weekday in log/ beside the data directory, kept a week.")
    }

    /// The file PostgreSQL logs to now: the `stderr` line of `DATA/current_logfiles` (written by
    /// the logging collector; the path is absolute since log_directory is).
    static func currentFile(dataDirectory: String) -> String? {
        guard let text = FileText.contents(of: dataDirectory + "/current_logfiles") else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0] == "stderr" {
                let path = String(parts[1])
                return path.hasPrefix("/") ? path : dataDirectory + "/" + path
            }
        }
        return nil
    }
}
