import Foundation

/// The append-only file of audit anchors, one line each (`AuditAnchor`). Written by this
/// process only, with O_APPEND and an fsync per line, mode 0600; never rewritten. It lives
/// beside the anchor key, outside the database and out of its owner's reach.
struct AuditAnchorFile: Sendable {
    let path: String

    func append(_ line: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.unusable("cannot open the audit anchors file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        // One write of the whole line: with O_APPEND it lands whole at the end.
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw StoreError.unusable(
                "cannot write the audit anchors file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Every line, in order; none when the file does not exist yet.
    func lines() throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StoreError.unusable("cannot read the audit anchors file \(path)")
        }
        return text.split(separator: "\n").map(String.init)
    }
}
