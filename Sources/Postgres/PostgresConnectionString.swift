import CLibPQ

enum PostgresConnectionString {
    /// Checks that libpq can parse a keyword string or URL, without connecting.
    static func validate(_ conninfo: String) throws {
        guard !conninfo.utf8.contains(0) else {
            throw PostgresError.connectionFailed(
                kind: .invalidConnectionString, message: "the connection string contains a NUL byte")
        }
        // A bare word is a database name, which libpq accepts as-is.
        guard conninfo.contains("=") || conninfo.hasPrefix("postgres") else { return }
        var errorPointer: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(conninfo, &errorPointer)
        if let options { PQconninfoFree(options) }
        if let errorPointer {
            let message = String(cString: errorPointer).trimmingTrailingWhitespace()
            PQfreemem(errorPointer)
            throw PostgresError.connectionFailed(kind: .invalidConnectionString, message: message)
        }
        if options == nil {
            throw PostgresError.connectionFailed(kind: .invalidConnectionString, message: "libpq could not parse it")
        }
    }
}
