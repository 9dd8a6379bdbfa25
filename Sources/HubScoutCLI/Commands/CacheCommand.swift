import ArgumentParser
import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout cache`: check and free space in the Hugging Face cache.
    struct CacheCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache",
            abstract: "Verify and clean the Hugging Face cache (shared with huggingface_hub and llama.cpp).",
            discussion: """
            A blob still linked from a snapshot that stays is never deleted.

            Examples:
              hubscout cache verify
              hubscout cache verify Qwen/Qwen2.5-0.5B
              hubscout cache rm Qwen/Qwen2.5-0.5B@main --dry-run
              hubscout cache gc --older-than 30d --max-size 200GB --dry-run
            """,
            subcommands: [Verify.self, Remove.self, GC.self]
        )

        /// Options shared by the cache commands.
        struct CacheOptions: ParsableArguments {
            @OptionGroup var cache: CacheDirectoryOptions

            /// The cache root in effect.
            var root: String { cache.root() }
        }

        /// Opens the catalog for recording; failures are warnings (the cache command still does its work).
        static func recorder() async -> CatalogRecorder? {
            do {
                let catalog = try Catalog(path: Catalog.defaultPath())
                return CatalogRecorder(catalog: catalog) { Terminal.note($0) }
            } catch {
                Terminal.note("warning: the catalog is not updated: \(error)")
                return nil
            }
        }

        /// Prints a plan or result as a table of deletions.
        static func printActions(_ actions: [CleanupAction], verb: String) {
            var table = Table(headers: ["ACTION", "MODEL", "WHAT", "FREES", "WHY"], rightAligned: [3])
            for action in actions {
                let what: String
                switch action.kind {
                case .repository: what = "whole repository"
                case .revision: what = "snapshot \(String((action.commit ?? "").prefix(12)))"
                case .ref: what = "ref \((action.path as NSString).lastPathComponent)"
                case .blob, .incomplete: what = "\(action.kind.rawValue) \(String((action.path as NSString).lastPathComponent.prefix(16)))"
                }
                table.rows.append([verb, action.repo, what, action.bytes > 0 ? ByteCount.format(action.bytes) : "—", action.reason])
            }
            Terminal.print(table.render())
        }

        /// `cache verify`.
        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Re-hash cached blobs against their sha256 (LFS) or git sha1 names and report corrupt or missing files.",
                discussion: """
                Exit status 1 when a blob is corrupt, unreadable or missing. Intact snapshots are marked verified in the catalog.

                Examples:
                  hubscout cache verify
                  hubscout cache verify meta-llama/Llama-3.1-8B-Instruct --json
                """
            )

            @Argument(help: "Only this repository (ORG/NAME).")
            var repo: String?
            @OptionGroup var cache: CacheOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let inventory = CacheScanner(root: cache.root).scan()
                    let report = try await CacheVerifier(inventory: inventory).verify(repo: repo)
                    if let recorder = await CacheCommand.recorder() {
                        for checked in inventory.repos where repo == nil || checked.id.lowercased() == repo?.lowercased() {
                            let bad = report.mismatches.contains { $0.repo == checked.id } || report.missing.contains { $0.repo == checked.id }
                                || report.unreadable.contains { $0.repo == checked.id }
                            if !bad { await recorder.recordVerified(repo: checked) }
                        }
                    }
                    if output.json {
                        Terminal.print(try Format.json(VerifyJSON(report)))
                    } else {
                        for check in report.mismatches {
                            Terminal.print("CORRUPT  \(check.repo)  \(check.path)  expected \(check.blob), got \(check.actual ?? "?")")
                        }
                        for check in report.unreadable { Terminal.print("UNREADABLE  \(check.repo)  \(check.path)") }
                        for file in report.missing { Terminal.print("MISSING  \(file.repo)@\(file.commit.prefix(12))  \(file.path)") }
                        let skipped = report.checks.filter { $0.status == .unverifiable }.count
                        Terminal.print("verified \(report.verifiedCount) blobs (\(ByteCount.format(report.bytesHashed))): \(report.mismatches.count) corrupt, \(report.unreadable.count) unreadable, \(report.missing.count) missing\(skipped > 0 ? ", \(skipped) without a hash name skipped" : "")")
                    }
                    if !report.isClean {
                        Terminal.note("re-download the damaged files with hubscout download REPO (corrupt blobs are replaced), or remove them with hubscout cache rm")
                        throw ExitCode(1)
                    }
                }
            }
        }

        /// `cache rm REPO[@REV]`.
        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rm",
                abstract: "Remove a cached repository, or one revision of it, keeping blobs other snapshots use.",
                discussion: """
                REV is a branch, tag, full commit or unique commit prefix. Removing a revision deletes its snapshot
                folder, the refs pointing at it and the blobs no other snapshot of the repository links to.

                Examples:
                  hubscout cache rm openai-community/gpt2
                  hubscout cache rm Qwen/Qwen2.5-0.5B@v1.0 --dry-run
                  hubscout cache rm Qwen/Qwen2.5-0.5B@a1b2c3d --json
                """
            )

            @Argument(help: ArgumentHelp("ORG/NAME or ORG/NAME@REVISION.", valueName: "repo[@rev]"))
            var target: String
            @Flag(name: .customLong("dry-run"), help: "Print what would be deleted and delete nothing.")
            var dryRun = false
            @OptionGroup var cache: CacheOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let parts = target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                    guard let id = parts.first, !id.isEmpty, parts.count == 1 || !parts[1].isEmpty else { throw InventoryError.invalidTarget(target) }
                    let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root).scan())
                    let plan = try cleaner.planRemoval(repo: id, revision: parts.count == 2 ? parts[1] : nil)
                    try await CacheCommand.carryOut(plan, cleaner: cleaner, dryRun: dryRun, json: output.json)
                }
            }
        }

        /// `cache gc`.
        struct GC: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "gc",
                abstract: "Free space: revisions unused for a while, least recently used revisions above a size, stale partial downloads.",
                discussion: """
                Partial downloads and unlinked blobs untouched for an hour (or --older-than, if longer) always go.
                --older-than removes revisions whose files were not used within the duration; --max-size then removes
                least recently used revisions until the cache fits. Blobs still linked from a remaining snapshot stay.

                Examples:
                  hubscout cache gc --dry-run
                  hubscout cache gc --older-than 30d
                  hubscout cache gc --max-size 100GB --dry-run --json
                """
            )

            @Option(name: .customLong("older-than"), help: ArgumentHelp("Remove revisions unused for this long (30d, 12h, 2w).", valueName: "duration"))
            var olderThan: String?
            @Option(name: .customLong("max-size"), help: ArgumentHelp("Shrink the cache to at most this size (e.g. 200GB).", valueName: "size"))
            var maxSize: String?
            @Flag(name: .customLong("dry-run"), help: "Print the plan and delete nothing.")
            var dryRun = false
            @OptionGroup var cache: CacheOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                if let olderThan { _ = try DurationText.parse(olderThan) }
                if let maxSize, ByteCount.parse(maxSize) == nil { throw ValidationError("--max-size \"\(maxSize)\" is not a size; write it like 200GB or 1.5TiB") }
            }

            func run() async throws {
                try await CommandRunner.run {
                    let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root).scan())
                    let plan = cleaner.planGC(olderThan: try olderThan.map(DurationText.parse), maxSize: maxSize.flatMap(ByteCount.parse)?.bytes)
                    try await CacheCommand.carryOut(plan, cleaner: cleaner, dryRun: dryRun, json: output.json)
                }
            }
        }

        /// Prints the plan (dry run) or runs it, reports what was freed and updates the catalog.
        static func carryOut(_ plan: CleanupPlan, cleaner: CacheCleaner, dryRun: Bool, json: Bool) async throws {
            if dryRun {
                if json {
                    Terminal.print(try Format.json(CleanupJSON(dryRun: true, removed: plan.actions, skipped: [], bytesFreed: plan.bytesFreed)))
                } else if plan.isEmpty {
                    Terminal.print("nothing to delete")
                } else {
                    printActions(plan.actions, verb: "would delete")
                    Terminal.print("dry run: would free \(ByteCount.format(plan.bytesFreed)); nothing was deleted")
                }
                return
            }
            let result = cleaner.execute(plan)
            if let recorder = await recorder() { await recorder.record(cleanup: result) }
            if json {
                Terminal.print(try Format.json(CleanupJSON(dryRun: false, removed: result.removed, skipped: result.skipped, bytesFreed: result.bytesFreed)))
            } else if result.removed.isEmpty && result.skipped.isEmpty {
                Terminal.print("nothing to delete")
            } else {
                if !result.removed.isEmpty { printActions(result.removed, verb: "deleted") }
                for skipped in result.skipped { Terminal.note("kept \(skipped.action.path): \(skipped.reason)") }
                Terminal.print("freed \(ByteCount.format(result.bytesFreed))")
            }
        }
    }
}

/// `cache rm|gc --json`.
struct CleanupJSON: Encodable {
    var dryRun: Bool
    var removed: [CleanupAction]
    var skipped: [CleanupResult.Skipped]
    var bytesFreed: Int64
}

/// `cache verify --json`.
struct VerifyJSON: Encodable {
    var verified: Int
    var bytesHashed: Int64
    var corrupt: [BlobCheck]
    var unreadable: [BlobCheck]
    var missing: [MissingFile]
    var unverifiable: Int
    var clean: Bool

    init(_ report: VerifyReport) {
        verified = report.verifiedCount
        bytesHashed = report.bytesHashed
        corrupt = report.mismatches
        unreadable = report.unreadable
        missing = report.missing
        unverifiable = report.checks.filter { $0.status == .unverifiable }.count
        clean = report.isClean
    }
}
