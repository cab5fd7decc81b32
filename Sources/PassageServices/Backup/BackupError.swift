/// A backup or restore that cannot go ahead, with what to do about it: printed as the
/// command's error, exit status 1.
public struct BackupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
