#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a small file whole with plain system calls. Why not `String(contentsOfFile:)`: in this
/// toolchain's Foundation it leaks its 4 KiB read buffer for files that report a size of 0 —
/// empty tool output, `/proc/<pid>/stat` — which LeakSanitizer caught on every tool run
/// (Docs/reliability.md, "Sanitizers").
enum FileText {
    /// The file's bytes as UTF-8 (invalid sequences replaced), or nil when it cannot be read.
    static func contents(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
