import ArgumentParser
import Foundation
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout dedupe`: identical model files across tools replaced by hard links to one copy.
    struct DedupeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dedupe",
            abstract: "Store identical model files once: replace copies held by Ollama, LM Studio, llama.cpp and the HF cache with hard links.",
            discussion: """
            Finds identical weight files across every tool's store (as hubscout ls --all lists them) and replaces each extra copy with a hard link to one kept copy, preferring the Hugging Face cache's. Every tool keeps its own name for the file, so deleting the model in one tool leaves the others working.

            Before each replacement both files are hashed again and must match; the link is made under a temporary name and renamed over the copy, so a tool never sees a missing file. Copies on another filesystem are left alone (a hard link cannot cross filesystems), and files still being downloaded are never touched. Digests are remembered in the catalog, so a second run reads no file again, and the models found are recorded there as hubscout ls --all records them (hubscout search --local lists them).

            Examples:
              hubscout dedupe --dry-run
              hubscout dedupe --json
              hubscout dedupe --path /data/models --dry-run
            """
        )

        @Flag(name: .customLong("dry-run"), help: "Show what would be linked and the bytes it would free; change nothing.")
        var dryRun = false
        @Option(name: .customLong("path"), help: ArgumentHelp("Also look in this folder for GGUF and safetensors models (repeatable).", valueName: "folder"))
        var paths: [String] = []
        @OptionGroup var cache: CacheDirectoryOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let (inventory, duplicates) = try await LocalModelsListing.scan(paths: paths, cache: cache)
                // The scan is recorded as `ls --all` records it (search --local answers from it); linking changes no row.
                await LocalModelsListing.record(try await LocalModelsListing.rows(inventory, duplicates: duplicates), of: inventory)
                if !output.json {
                    Terminal.note("hashed \(Plural.count(duplicates.hashedFiles, "file")) (\(ByteCount.format(duplicates.hashedBytes))); \(duplicates.rememberedFiles) digests remembered from earlier runs")
                }
                let deduplicator = Deduplicator(report: duplicates)
                let plan = deduplicator.plan()
                if dryRun {
                    if output.json {
                        Terminal.print(try Format.json(DedupeJSON(dryRun: true, actions: plan.actions, skipped: plan.skipped,
                                                                  reclaimableBytes: plan.reclaimableBytes, reclaimedBytes: nil,
                                                                  hashedFiles: duplicates.hashedFiles, hashedBytes: duplicates.hashedBytes,
                                                                  rememberedFiles: duplicates.rememberedFiles)))
                    } else {
                        Self.printActions(plan.actions, skipped: plan.skipped)
                        Terminal.note("would free \(ByteCount.format(plan.reclaimableBytes)) by linking \(Plural.count(plan.actions.count, "copy", "copies"))")
                    }
                    return
                }
                let result = await deduplicator.execute(plan)
                if output.json {
                    Terminal.print(try Format.json(DedupeJSON(dryRun: false, actions: result.linked, skipped: result.skipped,
                                                              reclaimableBytes: nil, reclaimedBytes: result.reclaimedBytes,
                                                              hashedFiles: duplicates.hashedFiles, hashedBytes: duplicates.hashedBytes,
                                                              rememberedFiles: duplicates.rememberedFiles)))
                } else {
                    Self.printActions(result.linked, skipped: result.skipped)
                    Terminal.note("freed \(ByteCount.format(result.reclaimedBytes)) by linking \(Plural.count(result.linked.count, "copy", "copies"))")
                }
                if !result.skipped.isEmpty, result.linked.isEmpty, !plan.actions.isEmpty { throw ExitCode(1) }
            }
        }

        static func printActions(_ actions: [DedupeAction], skipped: [DedupePlan.Skip]) {
            guard !actions.isEmpty || !skipped.isEmpty else {
                Terminal.print("no identical files held twice")
                return
            }
            var table = Table(headers: ["LINK", "TO", "SIZE", "USED BY"], rightAligned: [2])
            for action in actions {
                table.rows.append([action.replace, action.keep, ByteCount.format(action.size), action.users.joined(separator: ", ")])
            }
            if !actions.isEmpty { Terminal.print(table.render()) }
            for skip in skipped { Terminal.note("left alone: \(skip.path): \(skip.reason)") }
        }
    }
}

/// `dedupe --json`.
struct DedupeJSON: Encodable {
    var dryRun: Bool
    var actions: [DedupeAction]
    var skipped: [DedupePlan.Skip]
    /// With --dry-run: what linking would free.
    var reclaimableBytes: Int64?
    /// Without: what it freed.
    var reclaimedBytes: Int64?
    /// Files read to hash them in this run (0 on a second run over unchanged files).
    var hashedFiles: Int
    /// Bytes read to hash them.
    var hashedBytes: Int64
    /// Files whose digest the catalog remembered.
    var rememberedFiles: Int
}
