import Foundation

/// A data directory taken from the configuration belongs to the service's user (the package's
/// `passage`). Run as root on it, the embedded cluster would be handed to the `postgres` user
/// (what root does with a data directory, Docs/operations.md "The embedded cluster"), and the
/// service could no longer open it; so that is refused, with the command to use instead.
enum ServiceDataDirectory {
    static func check(_ settings: CommandLineSettings, isRoot: Bool = geteuid() == 0) throws {
        guard isRoot, let origin = settings.origins.first(where: { $0.option == "data-dir" })?.origin,
            let argument = settings.arguments.first(where: { $0.hasPrefix("--data-dir=") })
        else { return }
        let directory = String(argument.dropFirst("--data-dir=".count))
        var status = stat()
        guard stat(directory, &status) == 0, status.st_uid != 0 else { return }
        let owner = getpwuid(status.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(status.st_uid)"
        guard owner != "postgres" else { return }
        throw ConfigurationError(
            description:
                "\(origin): the data directory \(directory) belongs to \(owner), the user the service runs as; run this as that user (runuser -u \(owner) -- passage …) or name another with --data-dir"
        )
    }
}
