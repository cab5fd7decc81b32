import Foundation

/// Reads a JSON Lines file a chunk at a time and hands out one line at a time, so memory
/// stays flat whatever the file's size. A final line without a newline still counts; a
/// trailing CR (CRLF files) is dropped.
struct JSONLinesFile {
    let path: String

    /// Calls `body(lineNumber, bytes)` for each line, numbered from 1.
    func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.unusable("cannot open \(path) for reading")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        func emit(_ line: ArraySlice<UInt8>) throws {
            lineNumber += 1
            var line = line
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            try line.withUnsafeBufferPointer { try body(lineNumber, $0) }
        }
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { try emit(pending[...]) }
    }
}
