import Foundation
import Testing

/// Issue 18: the interfaces (console, command line, HTTP) reach the store only through the
/// application services. The compiler cannot say "this target may not import that one" beyond
/// what Package.swift lists, so both are checked here: the imports in the sources and the
/// dependencies each interface target declares.
@Suite struct LayeringTests {
    /// Targets that talk to people or other systems.
    static let interfaces = ["PassageConsole", "PassageHTTP", "passage"]
    /// What sits below the application services.
    static let belowServices: Set<String> = ["PassageStore", "Postgres", "EmbeddedPostgres", "CLibPQ", "CXLSXWriter"]
    /// Files that may still reach below the services, and interface targets whose Package.swift
    /// entry may still list the store: empty since GAPS moved onto the GapsService (issue 18).
    /// Should a change ever need one for a while, it is written here by name (`<file> imports
    /// <module>`, or the target), never by directory: the tests below fail when any other
    /// interface file imports, or interface target declares, what lies below the services, and
    /// when a listed file no longer imports it, so the list only shrinks back to empty.
    static let notYetMoved: Set<String> = []
    static let dependenciesNotYetMoved: Set<String> = []

    /// The pure core imports no I/O library at all.
    static let notInCore: Set<String> = belowServices.union(["PassageServices", "NIOCore", "NIOPosix", "Logging"])

    /// `import X`, `@testable import X`, `import struct X.Y`, `@_exported import X` → X.
    static func importedModules(in source: String) -> [String] {
        source.split(separator: "\n").compactMap { line in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
            guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") }),
                index + 1 < words.count
            else { return nil }
            let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
            let name = kinds.contains(words[index + 1]) && index + 2 < words.count ? words[index + 2] : words[index + 1]
            return String(name.split(separator: ".").first ?? "")
        }
    }

    /// The quoted target names in one target's declaration in Package.swift.
    static func declaredDependencies(of target: String, in manifest: String) -> Set<String>? {
        // The target's declaration, not a product of the same name.
        guard let targetStart = try? Regex(#"\.(target|executableTarget)\(\s*name: ""# + "\(target)\""),
            let start = manifest.firstMatch(of: targetStart)
        else { return nil }
        let rest = manifest[start.range.upperBound...]
        let nextTarget = try! Regex(#"\.(target|executableTarget|testTarget|systemLibrary)\("#)
        let end = rest.firstMatch(of: nextTarget)?.range.lowerBound ?? rest.endIndex
        let declaration = rest[..<end]
        let quoted = try! Regex(#""([A-Za-z]+)""#)
        return Set(declaration.matches(of: quoted).compactMap { $0.output[1].substring.map(String.init) })
    }

    static func violations(of forbidden: Set<String>, under directory: URL) -> [String] {
        var found: [String] = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", let text = try? String(contentsOf: file, encoding: .utf8) else {
                continue
            }
            for module in importedModules(in: text) where forbidden.contains(module) {
                found.append("\(file.path.dropFirst(TestFiles.repository.path.count + 1)) imports \(module)")
            }
        }
        return found
    }

    @Test func noInterfaceImportsWhatLiesBelowTheServices() throws {
        var found: [String] = []
        var scanned = 0
        for target in Self.interfaces {
            let directory = TestFiles.repository.appendingPathComponent("Sources/\(target)")
            guard FileManager.default.fileExists(atPath: directory.path) else { continue }
            scanned += 1
            found += Self.violations(of: Self.belowServices, under: directory)
        }
        #expect(scanned >= 2, "the console and the command line must both be scanned")
        let new = found.filter { !Self.notYetMoved.contains($0) }
        #expect(new.isEmpty, "interfaces must call PassageServices, not the store:\n\(new.joined(separator: "\n"))")
        let moved = Self.notYetMoved.subtracting(found)
        #expect(
            moved.isEmpty,
            "no longer below the services: take these off notYetMoved:\n\(moved.sorted().joined(separator: "\n"))")
    }

    @Test func noInterfaceTargetDependsOnWhatLiesBelowTheServices() throws {
        let manifest = try String(
            contentsOf: TestFiles.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        for target in Self.interfaces {
            guard let dependencies = Self.declaredDependencies(of: target, in: manifest) else {
                #expect(target == "PassageHTTP", "Package.swift declares no target \(target)")
                continue
            }
            #expect(
                dependencies.contains("PassageServices") || target == "PassageHTTP",
                "\(target) should reach the store through PassageServices")
            guard !Self.dependenciesNotYetMoved.contains(target) else { continue }
            #expect(
                dependencies.isDisjoint(with: Self.belowServices),
                "\(target) declares \(dependencies.intersection(Self.belowServices).sorted()) in Package.swift")
        }
    }

    @Test func theCoreStaysPure() {
        let found = Self.violations(
            of: Self.notInCore, under: TestFiles.repository.appendingPathComponent("Sources/PassageCore"))
        #expect(found.isEmpty, "PassageCore has no I/O:\n\(found.joined(separator: "\n"))")
    }

    @Test func theImportReaderSeesEveryFormOfImport() {
        let source = """
            import Foundation
            @testable import PassageStore
            import struct Postgres.PostgresPool
            @_exported import EmbeddedPostgres
            // import CLibPQ is only a comment
            let text = "import Nothing"
            """
        #expect(Self.importedModules(in: source) == ["Foundation", "PassageStore", "Postgres", "EmbeddedPostgres"])
        let manifest = #"""
            .executable(name: "PassageConsole", targets: ["PassageConsole", "Postgres"]),
            .target(name: "PassageConsole", dependencies: ["PassageCore", "PassageStore"]),
            .target(name: "Next", dependencies: ["Postgres"]),
            """#
        #expect(Self.declaredDependencies(of: "PassageConsole", in: manifest) == ["PassageCore", "PassageStore"])
    }
}
