import Foundation
import PackagePlugin

/// Compiles the schema migrations into the target it is applied to (PassageStore): each
/// `Schema/NNNN_name.sql` of the package becomes a `(version, name, text)` entry of
/// `MigrationSet.compiledIn`, written by `embed-schema.sh`. The binary then needs no `Schema/`
/// beside it, and no copy of the migrations is kept by hand (Docs/operations.md, "Building").
///
/// SwiftPM runs a plugin when it plans a build and keeps that plan (arguments, input files)
/// until Package.swift changes (swiftlang/swift-package-manager#5476): a list of the .sql files
/// taken here would go stale, and a renamed migration would then stop the build with "missing
/// inputs" until Package.swift is touched (both seen in a trial; a prebuild command is not
/// re-run either). So the command's input is the directory, whose time changes when a file is
/// added, removed or renamed, and the script reads the directory itself. An edit in place of a
/// file leaves the directory's time alone: `touch Schema` then, and MigrationSet's test
/// `compiledInMatchesSchema` fails for a build that missed one. The script is plain sh
/// (coreutils), so no tool is compiled for it, and it rewrites its output only when the
/// migrations changed.
@main
struct EmbedSchema: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let script = context.package.directoryURL.appending(path: "Plugins/EmbedSchema/embed-schema.sh")
        let schema = context.package.directoryURL.appending(path: "Schema")
        let output = context.pluginWorkDirectoryURL.appending(path: "CompiledInMigrations.swift")
        return [
            .buildCommand(
                displayName: "Compiling Schema/*.sql into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, schema.path, output.path],
                inputFiles: [script, schema],
                outputFiles: [output])
        ]
    }
}
