import CLibPQ

/// Server settings every connection of a pool starts with.
public enum PostgresConnectionSettings {
    /// `conninfo` (keyword string or URL) with server settings added to its `options`
    /// (`-c name=value`), so every connection opened from it starts with them: how `passage
    /// serve` gives its pools their statement and lock timeouts without a round trip per lease.
    /// The settings given win over the same ones already in `options`; everything else is kept.
    public static func adding(settings: [(name: String, value: String)], to conninfo: String) throws -> String {
        try PostgresConnectionString.validate(conninfo)
        // A bare word is a database name (libpq's own reading of it).
        let conninfo =
            conninfo.contains("=") || conninfo.hasPrefix("postgres") ? conninfo : "dbname='\(quoted(conninfo))'"
        var errorPointer: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &errorPointer) else {
            if let errorPointer { PQfreemem(errorPointer) }
            throw PostgresError.connectionFailed(kind: .invalidConnectionString, message: "libpq could not parse it")
        }
        defer { PQconninfoFree(parsed) }
        var pairs: [(String, String)] = []
        var options = ""
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let name = String(cString: keyword)
                if name == "options" {
                    options = String(cString: value)
                } else {
                    pairs.append((name, String(cString: value)))
                }
            }
            option += 1
        }
        for setting in settings {
            // Setting names are fixed by the caller; values are numbers with units (`5s`, `250ms`).
            guard setting.name.allSatisfy({ $0.isLetter || $0 == "_" }),
                setting.value.allSatisfy({ $0.isLetter || $0.isNumber })
            else {
                throw PostgresError.misuse("bad server setting \(setting.name)=\(setting.value)")
            }
            options += (options.isEmpty ? "" : " ") + "-c \(setting.name)=\(setting.value)"
        }
        pairs.append(("options", options))
        return pairs.map { "\($0.0)='\(quoted($0.1))'" }.joined(separator: " ")
    }

    /// A keyword value in single quotes: backslash and quote escaped (libpq's rule).
    private static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
