import Foundation

/// A file (an XLSX workbook) sent in a data block. The console is a line protocol, so the file's
/// bytes travel as base64 (RFC 4648, standard alphabet, padded) in data lines of 76 characters
/// (a base64 line never starts with `.`, so dot-stuffing never touches it), under a title whose
/// last word is `base64` and whose word before says the file's format: `250+stats xlsx base64`.
/// `passage console --data-only` writes the decoded bytes (Docs/console-protocol.md "Files in
/// replies").
extension DataBlock {
    /// The title's last word that marks a file block.
    public static let fileMarker = "base64"

    /// `bytes` as a data block titled `<title> <format> base64`.
    public static func file(_ title: String, format: String, bytes: [UInt8]) -> DataBlock {
        let text = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let lines = text.split(separator: "\n").map(String.init)
        return .lines("\(title) \(format) \(fileMarker)", lines)
    }

    /// Whether a received data block's title (its text, as in text mode) marks a file.
    public static func isFile(title: String) -> Bool {
        title.split(separator: " ").last.map(String.init) == fileMarker
    }

    /// The bytes of a file block's data lines (their texts, as in text mode); nil when they are not base64.
    public static func fileBytes(_ lines: [String]) -> [UInt8]? {
        Data(base64Encoded: lines.joined()).map { [UInt8]($0) }
    }
}
