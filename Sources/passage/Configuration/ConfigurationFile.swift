import Foundation

/// Where a setting came from, named in every error about it.
enum SettingOrigin: Equatable, CustomStringConvertible {
    case file(path: String, line: Int)
    case environment(variable: String)

    var description: String {
        switch self {
        case .file(let path, let line): return "\(path) line \(line)"
        case .environment(let variable): return "environment variable \(variable)"
        }
    }
}

/// One `key = value` of the configuration file, or one `PASSAGE_*` variable, before it becomes
/// a command-line option.
struct Setting: Equatable {
    var key: String
    var value: String
    var origin: SettingOrigin
}

/// A mistake in the configuration (file or environment): refused at start, before anything runs.
struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    let description: String
}

/// `/etc/passage/passage.conf`: one `key = value` a line, keys named like `passage serve`'s long
/// options without the dashes (`http-port = 7412`), `#` starting a comment line. A value is
/// taken as written, spaces around it trimmed; double quotes around it are removed (to keep
/// spaces at its ends). No inline comments: a `#` may belong to the value (a URL, a password in
/// a database URL).
enum ConfigurationFile {
    static let defaultPath = "/etc/passage/passage.conf"

    static func parse(_ text: String, path: String) throws -> [Setting] {
        var settings: [Setting] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(
                    description: "\(path) line \(number): expected `key = value`, found \(Self.quoted(line))")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw ConfigurationError(description: "\(path) line \(number): a value without a key")
            }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            if let earlier = seen[key] {
                throw ConfigurationError(
                    description: "\(path) line \(number): \(key) is set twice (also on line \(earlier))")
            }
            seen[key] = number
            settings.append(Setting(key: key, value: value, origin: .file(path: path, line: number)))
        }
        return settings
    }

    /// The file named by `--config` or `PASSAGE_CONFIG` (which must exist), else the default
    /// one when it exists; nil when there is none.
    static func read(explicit: String?) throws -> [Setting]? {
        let path = explicit ?? defaultPath
        guard explicit != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(description: "the configuration file \(path) does not exist")
        }
        // FileHandle, not String(contentsOfFile:), which refuses a device such as /dev/null.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigurationError(
                description: "cannot read the configuration file \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() ?? Data(), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(description: "the configuration file \(path) is not readable UTF-8 text")
        }
        return try parse(text, path: path)
    }

    static func quoted(_ text: String) -> String {
        "'" + (text.count > 60 ? text.prefix(60) + "…" : text) + "'"
    }
}
