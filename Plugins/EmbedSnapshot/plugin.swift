import Foundation
import PackagePlugin

/// Compiles the shipped catalog snapshot (`cache/models.jsonl`) and the build's git commit into the target it is
/// applied to, so an installed `hubscout` needs no file beside it. Two commands, both run by `EmbedSnapshotTool`:
/// - `GeneratedSnapshot.swift` (internal `enum GeneratedSnapshot`), rebuilt when `cache/models.jsonl` changes;
/// - `HubScoutBuildInfo.swift` (public `enum HubScoutBuildInfo`), rebuilt when `.git/HEAD` or its reflog
///   `.git/logs/HEAD` changes (see `gitInputs(root:)`).
@main
struct EmbedSnapshot: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let tool = try context.tool(named: "EmbedSnapshotTool").url
        let root = context.package.directoryURL
        let snapshot = root.appendingPathComponent("cache/models.jsonl")
        let snapshotSource = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedSnapshot.swift")
        let buildInfoSource = context.pluginWorkDirectoryURL.appendingPathComponent("HubScoutBuildInfo.swift")
        return [
            .buildCommand(displayName: "Embedding cache/models.jsonl into \(target.name)", executable: tool,
                          arguments: ["snapshot", snapshot.path, snapshotSource.path],
                          inputFiles: [snapshot], outputFiles: [snapshotSource]),
            .buildCommand(displayName: "Embedding the git commit into \(target.name)", executable: tool,
                          arguments: ["build-info", root.path, buildInfoSource.path],
                          inputFiles: Self.gitInputs(root: root), outputFiles: [buildInfoSource]),
        ]
    }

    /// The git files whose change means the commit may have changed: `HEAD` (branch switches, detached checkouts)
    /// and its reflog `logs/HEAD`, which git appends to on every commit, checkout, reset, merge or rebase (that is
    /// how a commit on the current branch is seen; the branch's own ref file is read by the tool but not declared).
    /// Only files git never deletes are declared: SwiftPM keeps a plugin's commands between builds until the
    /// package changes, and a declared input that vanished (a loose ref after `git gc`, say) would fail every
    /// build with "missing inputs". Outside a checkout there is none, and the command runs once.
    static func gitInputs(root: URL) -> [URL] {
        let files = FileManager.default
        let dotGit = root.appendingPathComponent(".git")
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: dotGit.path, isDirectory: &isFolder) else { return [] }
        var gitDir = dotGit
        if !isFolder.boolValue {
            // Worktrees and submodules: a file `gitdir: <path>`.
            guard let data = files.contents(atPath: dotGit.path), data.count < 1 << 16 else { return [] }
            let line = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard line.hasPrefix("gitdir:") else { return [] }
            let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
            gitDir = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        }
        return [gitDir.appendingPathComponent("HEAD"), gitDir.appendingPathComponent("logs/HEAD")]
            .filter { files.fileExists(atPath: $0.path) }
    }
}
