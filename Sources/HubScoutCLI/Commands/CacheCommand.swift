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
            abstract: "List, verify and clean the Hugging Face cache (shared with huggingface_hub and llama.cpp).",
            discussion: """
            A blob still linked from a snapshot that stays is never deleted. rm and prune ask before deleting when stdin is a terminal; elsewhere (scripts, CI) they need -y/--yes.

            Examples:
              hubscout cache ls --sort size --limit 10
              hubscout cache verify
              hubscout cache verify Qwen/Qwen2.5-0.5B
              hubscout cache rm Qwen/Qwen2.5-0.5B@main --dry-run
              hubscout cache prune -y
              hubscout cache gc --older-than 30d --max-size 200GB --dry-run
            """,
            subcommands: [List.self, Verify.self, Remove.self, Prune.self, GC.self]
        )

        /// Options shared by the cache commands.
        /// `--dry-run` and `-y/--yes`, for the subcommands that delete.
        struct DeletionOptions: ParsableArguments {
            @Flag(name: .customLong("dry-run"), help: "Print what would be deleted and delete nothing.")
            var dryRun = false
            @Flag(name: [.customShort("y"), .customLong("yes")], help: "Delete without asking (needed when stdin is not a terminal).")
            var yes = false
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

        /// Asks on the terminal (stderr) before `plan` runs; returns only on `y`/`yes`. With stdin not a terminal nobody
        /// can answer, so it refuses at once rather than wait on a pipe or read a stray line as consent.
        static func confirm(_ plan: CleanupPlan, command: String) throws {
            guard isatty(STDIN_FILENO) == 1 else {
                Terminal.error("\(command) deletes files and stdin is not a terminal to ask on; nothing was deleted. Pass -y (--yes) "
                               + "to delete without asking, or --dry-run to see what would be deleted")
                throw ExitCode(2)
            }
            // written even under --quiet: a question needs what it asks about
            Terminal.writeErr(Data((actionsTable(plan.actions, verb: "will delete") + "\n").utf8))
            Terminal.writeErr(Data("Delete these (\(ByteCount.format(plan.bytesFreed)))? [y/N] ".utf8))
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                Terminal.note("nothing was deleted")
                throw ExitCode(1)
            }
        }

        /// Prints a plan or result as a table of deletions.
        static func printActions(_ actions: [CleanupAction], verb: String) {
            Terminal.print(actionsTable(actions, verb: verb))
        }

        /// A plan or result as a table of deletions.
        static func actionsTable(_ actions: [CleanupAction], verb: String) -> String {
            var table = Table(headers: ["ACTION", "MODEL", "WHAT", "FREES", "WHY"], rightAligned: [3])
            for action in actions {
                let what: String
                switch action.kind {
                case .repository: what = "whole repository"
                case .revision: what = "snapshot \(String((action.commit ?? "").prefix(12)))"
                case .ref: what = "ref \((action.path as NSString).lastPathComponent)"
                case .blob, .incomplete: what = "\(action.kind.rawValue) \(String((action.path as NSString).lastPathComponent.prefix(16)))"
                case .storeBlob: what = "store blob \(String((action.path as NSString).lastPathComponent.prefix(16)))"
                }
                table.rows.append([verb, action.kind == .storeBlob ? "(shared store)" : action.repo, what, action.bytes > 0 ? ByteCount.format(action.bytes) : "—", action.reason])
            }
            return table.render()
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

            @Argument(help: ArgumentHelp("Only this repository: ORG/NAME, model/ORG/NAME or a Hub URL.", valueName: "repo"))
            var target: String?
            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let repo = try target.map { text throws -> String in
                        let reference = try ModelReference(text)
                        guard reference.revision == nil, reference.quantization == nil, reference.file == nil else {
                            throw ValidationError("cache verify checks a whole repository; name it as ORG/NAME, without @REV, :QUANT or a file")
                        }
                        return reference.repo.description
                    }
                    let inventory = CacheScanner(root: cache.root()).scan()
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
                        Terminal.print("verified \(Plural.count(report.verifiedCount, "blob")) (\(ByteCount.format(report.bytesHashed))): \(report.mismatches.count) corrupt, \(report.unreadable.count) unreadable, \(report.missing.count) missing\(skipped > 0 ? ", \(skipped) without a hash name skipped" : "")")
                    }
                    if !report.isClean {
                        Terminal.note("re-download the damaged files with hubscout download REPO (corrupt blobs are replaced), or remove them with hubscout cache rm")
                        throw ExitCode(1)
                    }
                }
            }
        }

        /// `cache rm TARGET…`.
        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rm",
                abstract: "Remove cached repositories, or revisions of them, keeping blobs other snapshots use.",
                discussion: """
                A TARGET is ORG/NAME (or model/ORG/NAME, hf://models/ORG/NAME, a Hub URL), ORG/NAME@REV for one revision, or a bare 40-hex commit. REV is a branch, tag, full commit or unique commit prefix. Removing a revision deletes its snapshot folder, the refs pointing at it and the blobs no remaining snapshot links to.

                When stdin is a terminal, rm lists what it will delete and asks (y/N) first; -y skips the question. Without a terminal (a script, CI) it deletes nothing unless -y is given.

                Examples:
                  hubscout cache rm openai-community/gpt2
                  hubscout cache rm Qwen/Qwen2.5-0.5B@v1.0 --dry-run
                  hubscout cache rm model/Qwen/Qwen2.5-0.5B@a1b2c3d -y --json
                """
            )

            @Argument(help: ArgumentHelp("Repositories (ORG/NAME), revisions (ORG/NAME@REV) or commits to remove.", valueName: "target"))
            var targets: [String]
            @OptionGroup var deletion: DeletionOptions
            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                guard !targets.isEmpty else { throw ValidationError("name at least one repository, ORG/NAME[@REV], or commit to remove") }
            }

            func run() async throws {
                try await CommandRunner.run {
                    let inventory = CacheScanner(root: cache.root()).scan()
                    let resolved = try targets.map { try CacheCommand.target($0, in: inventory) }
                    let cleaner = CacheCleaner(inventory: inventory)
                    let plan = try cleaner.planRemoval(resolved)
                    try await CacheCommand.carryOut(plan, cleaner: cleaner, dryRun: deletion.dryRun, json: output.json,
                                                    consent: .ask(yes: deletion.yes, command: "cache rm"))
                }
            }
        }

        /// `cache ls`.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ls",
                abstract: "List cached repositories (or revisions) with size, last use, last change and refs.",
                discussion: """
                --filter keeps entries that match every filter given: text is looked for in the id (a glob when it holds * or ?, matched against the whole id), and hf's expressions compare a field: size>1GB, size<=500MB, accessed>30d (last used more than 30 days ago), modified<7d, refs=main, type=model.

                --sort takes name, size, accessed or modified, with :asc or :desc (default: name A-Z; size, accessed and modified largest or newest first). --limit keeps the first N after sorting.

                Examples:
                  hubscout cache ls
                  hubscout cache ls --filter Qwen --sort size
                  hubscout cache ls --filter "accessed>30d" --sort accessed:asc
                  hubscout cache ls --revisions --filter "size>1GB" --limit 5 --json
                """,
                aliases: ["list"]
            )

            @Option(name: [.customShort("f"), .customLong("filter")],
                    help: ArgumentHelp("Text or glob to match in the id, or size>1GB, accessed>30d, modified<7d, refs=main (repeatable).",
                                       valueName: "filter"))
            var filters: [String] = []
            @Option(help: ArgumentHelp("name, size, accessed or modified, optionally :asc or :desc.", valueName: "key[:order]"))
            var sort: CacheSort?
            @Option(help: ArgumentHelp("Show at most this many entries (after sorting).", valueName: "n"))
            var limit: Int?
            @Flag(help: "One row per revision instead of per repository.")
            var revisions = false
            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                for filter in filters {
                    do { _ = try CacheFilter(parsing: filter) } catch { throw ValidationError(error.description) }
                }
                if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more; got \(limit)") }
            }

            func run() async throws {
                try await CommandRunner.run {
                    let inventory = CacheScanner(root: cache.root()).scan()
                    for warning in inventory.warnings { Terminal.note("warning: \(warning)") }
                    let parsed = try filters.map { try CacheFilter(parsing: $0) }
                    let entries = inventory.list(revisions: revisions, filters: parsed, sort: sort, limit: limit)
                    if output.json {
                        Terminal.print(try Format.json(CacheListJSON(cache: inventory.root, totalBytes: inventory.totalBytes, entries: entries)))
                        return
                    }
                    guard !entries.isEmpty else {
                        Terminal.note(inventory.repos.isEmpty ? "no models in \(inventory.root)" : "nothing in \(inventory.root) matches")
                        return
                    }
                    var table: Table
                    if revisions {
                        table = Table(headers: ["ID", "REVISION", "SIZE", "LAST ACCESSED", "LAST MODIFIED", "REFS"], rightAligned: [2])
                        for entry in entries {
                            table.rows.append([entry.id, String((entry.commit ?? "").prefix(12)), ByteCount.format(entry.sizeOnDisk),
                                               Format.day(entry.lastAccessed), Format.day(entry.lastModified),
                                               entry.refs.isEmpty ? "(detached)" : entry.refs.joined(separator: " ")])
                        }
                    } else {
                        table = Table(headers: ["ID", "SIZE", "LAST ACCESSED", "LAST MODIFIED", "REFS"], rightAligned: [1])
                        for entry in entries {
                            table.rows.append([entry.id, ByteCount.format(entry.sizeOnDisk), Format.day(entry.lastAccessed),
                                               Format.day(entry.lastModified), entry.refs.joined(separator: " ")])
                        }
                    }
                    Terminal.print(table.render())
                    let repoCount = Set(entries.map(\.id)).count
                    let shownBytes = ByteTotal.saturatingSum(entries.map(\.sizeOnDisk))
                    Terminal.note("\(repoCount) \(repoCount == 1 ? "repository" : "repositories")\(revisions ? ", \(entries.count) \(entries.count == 1 ? "revision" : "revisions")" : ""), "
                                  + "\(ByteCount.format(shownBytes)) shown; \(ByteCount.format(inventory.totalBytes)) in \(inventory.root)")
                }
            }
        }

        /// `cache prune`.
        struct Prune: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove detached revisions (no branch or tag points to them) and stale partial downloads.",
                discussion: """
                What hf cache prune removes: every snapshot no ref points to (a commit downloaded by hash, or one left behind when its branch moved), with the blobs only such snapshots use. Blobs a remaining snapshot links to stay; a repository whose snapshots are all detached goes whole. Partial downloads untouched for an hour go too (younger ones may belong to a download in progress), and so do blobs of huggingface_hub 2.x's shared store (<cache>/blobs/) that no repository links to any more.

                When stdin is a terminal, prune lists what it will delete and asks (y/N) first; -y skips the question. Without a terminal it deletes nothing unless -y is given.

                Examples:
                  hubscout cache prune --dry-run
                  hubscout cache prune -y
                """
            )

            @OptionGroup var deletion: DeletionOptions
            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root()).scan())
                    try await CacheCommand.carryOut(cleaner.planPrune(), cleaner: cleaner, dryRun: deletion.dryRun, json: output.json,
                                                    consent: .ask(yes: deletion.yes, command: "cache prune"))
                }
            }
        }

        /// A `cache rm` argument: a bare 40-hex commit (when no repository has that name), else any model reference
        /// Core reads (`ORG/NAME@REV`, `model/ORG/NAME`, `hf://models/ORG/NAME`, a Hub URL) without a quant or file.
        static func target(_ text: String, in inventory: CacheInventory) throws -> CacheTarget {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.count == 40, trimmed.allSatisfy(\.isHexDigit), inventory.repo(trimmed) == nil { return .commit(trimmed) }
            let reference = try ModelReference(trimmed)
            guard reference.quantization == nil, reference.file == nil else { throw InventoryError.invalidTarget(text) }
            return .repo(reference.repo.description, revision: reference.revision)
        }

        /// `cache gc`.
        struct GC: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "gc",
                abstract: "Free space: revisions unused for a while, least recently used revisions above a size, stale partial downloads.",
                discussion: """
                Partial downloads and unlinked blobs untouched for an hour (or --older-than, if longer) always go. --older-than removes revisions whose files were not used within the duration; --max-size then removes least recently used revisions until the cache fits. Blobs still linked from a remaining snapshot stay.

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
            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                if let olderThan { _ = try DurationText.parse(olderThan) }
                if let maxSize, ByteCount.parse(maxSize) == nil { throw ValidationError("--max-size \"\(maxSize)\" is not a size; write it like 200GB or 1.5TiB") }
            }

            func run() async throws {
                try await CommandRunner.run {
                    let cleaner = CacheCleaner(inventory: CacheScanner(root: cache.root()).scan())
                    let plan = cleaner.planGC(olderThan: try olderThan.map(DurationText.parse), maxSize: maxSize.flatMap(ByteCount.parse)?.bytes)
                    try await CacheCommand.carryOut(plan, cleaner: cleaner, dryRun: dryRun, json: output.json, consent: .given)
                }
            }
        }

        /// Whether a deletion may go ahead without asking.
        enum Consent {
            /// Already given (`gc`, whose runs are meant for cron).
            case given
            /// `-y` given, else ask on a terminal and refuse elsewhere; `command` names the command in messages.
            case ask(yes: Bool, command: String)
        }

        /// Prints the plan (dry run) or runs it, reports what was freed and updates the catalog.
        static func carryOut(_ plan: CleanupPlan, cleaner: CacheCleaner, dryRun: Bool, json: Bool, consent: Consent) async throws {
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
            if plan.isEmpty {
                Terminal.print(json ? try Format.json(CleanupJSON(dryRun: false, removed: [], skipped: [], bytesFreed: 0)) : "nothing to delete")
                return
            }
            if case let .ask(yes, command) = consent, !yes { try confirm(plan, command: command) }
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

/// `cache ls --json`.
struct CacheListJSON: Encodable {
    var cache: String
    var totalBytes: Int64
    var entries: [CacheListEntry]
}

/// `--sort name|size|accessed|modified[:asc|:desc]`.
extension CacheSort: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
    public static var allValueStrings: [String] { CacheSortKey.allCases.map(\.rawValue) }
}

/// `cache rm|prune|gc --json`.
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
