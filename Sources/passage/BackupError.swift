/// A backup or restore that cannot go ahead, with what to do about it: printed as the
/// command's error, exit status 1.
struct BackupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
