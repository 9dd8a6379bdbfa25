import ArgumentParser
import Foundation
import HubScoutBundle
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit
import HubScoutNetwork

extension HubScoutCommand {
    /// `hubscout bundle`: model bundles for air-gapped transfer (a pax tar with a manifest, every byte verified).
    struct BundleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundle",
            abstract: "Move models to machines without a Hub: write a bundle from the cache, check it, import it into another cache.",
            discussion: """
            A bundle is a POSIX pax tar (optionally zstd-compressed) whose first member, hubscout-bundle.json, lists every repository revision and file with its size and sha256 (LFS files) or git blob id. Files are stored as models--ORG--NAME/snapshots/<commit>/<path>. Import checks every byte against the manifest before it is published.

            Examples:
              hubscout bundle create Qwen/Qwen2.5-0.5B -o qwen.tar
              hubscout bundle create Qwen/Qwen3-0.6B@main -o models.tar.zst --split 4G
              hubscout bundle ls qwen.tar
              hubscout bundle verify qwen.tar
              hubscout bundle import qwen.tar --cache-dir /data/hf/hub
            """,
            subcommands: [Create.self, List.self, Verify.self, Import.self]
        )

        /// Runs a bundle command body: library errors become their message and exit code.
        static func run(_ body: () async throws -> Void) async throws {
            try await CommandRunner.run {
                do {
                    try await body()
                } catch let error as BundleError {
                    Terminal.error(error.description)
                    throw ExitCode(error.exitCode)
                } catch let error as DownloadError {
                    Terminal.error(error.description)
                    throw ExitCode(error.exitCode)
                }
            }
        }

        /// One progress line: `[4/7] imported org/name/model.safetensors (3.00 MiB)`.
        static func line(_ progress: BundleProgress) -> String {
            let verb = progress.phase == .importing ? (progress.skipped ? "already present " : "imported ") : ""
            return "[\(progress.filesDone)/\(progress.filesTotal)] \(verb)\(progress.repo)/\(progress.path) (\(ProgressFormat.bytes(progress.size)))"
        }

        /// `bundle create`.
        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a bundle of cached repositories (downloading what is missing first).",
                discussion: """
                Each source is ORG/NAME, ORG/NAME@REVISION (branch, tag or commit) or ORG/NAME:QUANT (only the GGUF files whose name holds QUANT, plus every non-GGUF file). Files come from the cache; a revision that is not cached is downloaded first (not with HF_HUB_OFFLINE=1 or --no-download), and --download refreshes every source from the Hub before writing. A name ending in .tar.zst (or .tzst) is zstd-compressed. --split SIZE writes volumes FILE.000, FILE.001… of at most SIZE bytes each (cat them together to get the bundle back).

                Examples:
                  hubscout bundle create Qwen/Qwen2.5-0.5B -o qwen.tar
                  hubscout bundle create openai-community/gpt2 --exclude "*.bin" -o gpt2.tar
                  hubscout bundle create Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M -o qwen.tar
                """
            )

            @Argument(help: ArgumentHelp("Sources: ORG/NAME[@REVISION][:QUANT].", valueName: "repo"))
            var sources: [String]
            @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The bundle to write (.tar, or .tar.zst for zstd).", valueName: "file"))
            var outputPath: String
            @Option(help: ArgumentHelp("Only files matching this glob (repeatable; * also matches /).", valueName: "glob"))
            var include: [String] = []
            @Option(help: ArgumentHelp("Skip files matching this glob (repeatable).", valueName: "glob"))
            var exclude: [String] = []
            @Option(help: ArgumentHelp("Write volumes of at most this size (4G, 700MB…): FILE.000, FILE.001…", valueName: "size"))
            var split: String?
            @Flag(help: "Download every source from the Hub first (what is cached is reused), even when the cache has it.")
            var download = false
            @Flag(name: .customLong("no-download"), help: "Never contact the Hub: fail if a source is not cached.")
            var noDownload = false

            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var hub: HubOptions
            @OptionGroup var format: OutputOptions

            func validate() throws {
                guard !sources.isEmpty else { throw ValidationError("name at least one repository") }
                if let split {
                    guard let size = ByteCount.parse(split), size.bytes >= 1 << 20 else {
                        throw ValidationError("--split takes a size of at least 1 MiB, e.g. 4G or 700MB")
                    }
                }
                guard !(download && noDownload) else { throw ValidationError("--download and --no-download contradict each other") }
            }

            func run() async throws {
                try await BundleCommand.run { try await execute() }
            }

            private func execute() async throws {
                let specs = try sources.map { text throws(BundleError) in try BundleSpec(parsing: text) }
                let environment = hub.environment
                let root = cache.root(in: environment)
                let compression = BundleCompression.forFileName(outputPath)
                if compression == .zstd, !BundleCompression.zstdAvailable {
                    throw BundleError.compressionUnavailable(BundleCompression.libraryDescription)
                }
                let selection = BundleSelection(include: include, exclude: exclude)
                let creator = BundleCreator(cache: HubCache(root: root), options: .init(
                    compression: compression, volumeSize: split.flatMap { ByteCount.parse($0)?.bytes }, selection: selection,
                    hubscoutVersion: "\(HubScoutVersion.current) (commit \(HubScoutBuildInfo.shortCommit))"))

                var modelInfo: [String: JSONValue] = [:]
                for spec in specs {
                    var fetch = download
                    if !fetch {
                        do { _ = try await creator.manifest(for: [spec]) } catch {
                            guard case let .notCached(_, _, _, detail) = error, !noDownload, !environment.offline else { throw error }
                            Terminal.note("\(spec.repo) @ \(spec.effectiveRevision) is not fully cached (\(detail)); downloading it first")
                            fetch = true
                        }
                    }
                    if fetch, let info = try await fetchFromHub(spec, root: root, selection: selection) {
                        modelInfo[info.0] = info.1
                    }
                }

                let json = format.json
                let result = try await creator.create(specs, output: DownloadCommand.absolute(outputPath), modelInfo: modelInfo) { progress in
                    if !json { Terminal.progress(BundleCommand.line(progress)) }
                }
                if json {
                    Terminal.print(try Format.json(CreateJSON(result)))
                    return
                }
                let names = result.volumes.map { ($0 as NSString).lastPathComponent }
                let revisions = "\(result.repos.count) \(result.repos.count == 1 ? "revision" : "revisions")"
                let files = "\(result.files) \(result.files == 1 ? "file" : "files")"
                Terminal.print("wrote \(names.joined(separator: ", ")): \(revisions), \(files), \(ProgressFormat.bytes(result.contentBytes)) of content, "
                               + "\(ProgressFormat.bytes(result.bytes)) on disk\(compression == .zstd ? " (zstd)" : "")")
                Terminal.print("sha256 \(result.sha256)")
            }

            /// Downloads a source with the Downloader (only what the selection and quant keep); returns the repo's
            /// model info JSON for the manifest when the Hub gave it.
            private func fetchFromHub(_ spec: BundleSpec, root: String, selection: BundleSelection) async throws -> (String, JSONValue)? {
                let client = try hub.client()
                let downloader = Downloader(client: client)
                var request = DownloadRequest(repo: spec.repo, revision: spec.revision, include: include, exclude: exclude, cacheDirectory: root)
                if let quant = spec.quant {
                    let plan = try await downloader.plan(request)
                    request.files = plan.files.map(\.path.value).filter { selection.keeps($0, quant: quant) }
                    guard !request.files.isEmpty else { throw BundleError.nothingSelected(repo: spec.repo.description, filters: [":\(quant)"]) }
                }
                let summary = try await downloader.download(request)
                Terminal.note("downloaded \(summary.repo) @ \(summary.commit.value.prefix(12)): \(Plural.count(summary.files.count, "file")), "
                              + "\(ProgressFormat.bytes(summary.bytesDownloaded)) fetched, \(ProgressFormat.bytes(summary.bytesReused)) reused")
                await CatalogHook.record(environment: hub.environment) { await $0.record(download: summary) }
                guard let info = try? await client.modelInfo(spec.repo, revision: summary.commit.value),
                      let data = try? JSONEncoder().encode(info), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
                return (summary.repo, value)
            }
        }

        /// `bundle ls`.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ls",
                abstract: "List the repositories and files of a bundle from its manifest, without extracting.",
                discussion: """
                Examples:
                  hubscout bundle ls models.tar
                  hubscout bundle ls models.tar.zst --json
                """
            )

            @Argument(help: ArgumentHelp("The bundle (or its first volume).", valueName: "file"))
            var file: String
            @OptionGroup var format: OutputOptions

            func run() async throws {
                try await BundleCommand.run {
                    let manifest = try await BundleReader.manifest(at: DownloadCommand.absolute(file))
                    if format.json {
                        Terminal.print(try Format.json(ListJSON(manifest)))
                        return
                    }
                    Terminal.print("bundle format \(manifest.formatVersion), written \(ISO8601DateFormatter().string(from: manifest.createdAt)) by hubscout \(manifest.hubscoutVersion)")
                    var repos = Table(headers: ["MODEL", "COMMIT", "REFS", "FILES", "SIZE"], rightAligned: [3, 4])
                    for repo in manifest.repos {
                        repos.rows.append([repo.id, String(repo.commit.prefix(12)), repo.refs.isEmpty ? "—" : repo.refs.joined(separator: ", "),
                                           String(repo.files.count), ProgressFormat.bytes(repo.totalBytes)])
                    }
                    Terminal.print(repos.render())
                    var files = Table(headers: ["FILE", "SIZE", "CHECKED BY"], rightAligned: [1])
                    for repo in manifest.repos {
                        for file in repo.files {
                            let hash = file.lfs ? "sha256 \(file.sha256?.prefix(12) ?? "?")" : "git \(file.gitBlobId?.prefix(12) ?? "?")"
                            files.rows.append([repo.id + "/" + file.path, ProgressFormat.bytes(file.size), hash])
                        }
                    }
                    Terminal.print("")
                    Terminal.print(files.render())
                    Terminal.print("total: \(manifest.repos.count) \(manifest.repos.count == 1 ? "revision" : "revisions"), \(Plural.count(manifest.fileCount, "file")), \(ProgressFormat.bytes(manifest.totalBytes))")
                }
            }
        }

        /// `bundle verify`.
        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read every member of a bundle and check it against the manifest (size and hash), writing nothing.",
                discussion: """
                Run it on the copy that arrived, before importing, to know the media gave back every byte.

                Examples:
                  hubscout bundle verify models.tar
                  hubscout bundle verify models.tar.000 --json
                """
            )

            @Argument(help: ArgumentHelp("The bundle (or its first volume).", valueName: "file"))
            var file: String
            @OptionGroup var format: OutputOptions

            func run() async throws {
                try await BundleCommand.run {
                    let result = try await BundleVerifier.verify(DownloadCommand.absolute(file))
                    if format.json {
                        Terminal.print(try Format.json(result))
                        return
                    }
                    Terminal.print("verified \(Plural.count(result.files, "file")) (\(ProgressFormat.bytes(result.bytes))) of \(result.repos.count) \(result.repos.count == 1 ? "revision" : "revisions"): every size and hash matches the manifest")
                }
            }
        }

        /// `bundle import`.
        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import a bundle into the Hugging Face cache, checking every file before it is published.",
                discussion: """
                Files go into blobs/ (by sha256 or git blob id) through a temporary name and a rename once verified, then are linked from snapshots/<commit>/; refs are written once a revision is complete. Blobs already present are not written again, so an interrupted import resumes when run again. A ref that already points at another commit stays where it is (both revisions are kept) unless --force. Free space is checked first.

                Examples:
                  hubscout bundle import models.tar
                  hubscout bundle import models.tar.zst --cache-dir /data/hf/hub --json
                """
            )

            @Argument(help: ArgumentHelp("The bundle (or its first volume).", valueName: "file"))
            var file: String
            @Flag(help: "Move refs (main, tags) that point at another commit in the cache to the bundle's commit.")
            var force = false

            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var format: OutputOptions

            func run() async throws {
                try await BundleCommand.run {
                    let environment = HubEnvironment()
                    let root = cache.root(in: environment)
                    let path = DownloadCommand.absolute(file)
                    let manifest = try await BundleReader.manifest(at: path)
                    let json = format.json
                    let importer = BundleImporter(cache: HubCache(root: root), options: .init(force: force))
                    let result = try await importer.import(path) { progress in
                        if !json { Terminal.progress(BundleCommand.line(progress)) }
                    }
                    for repo in result.repos {
                        for kept in repo.refsKept {
                            Terminal.note("note: \(repo.id) refs/\(kept.ref) stays at \(kept.cacheCommit.prefix(12)); the bundle's \(kept.bundleCommit.prefix(12)) is imported beside it (--force moves the ref)")
                        }
                        for moved in repo.refsMoved {
                            Terminal.note("note: \(repo.id) refs/\(moved.ref) moved from \(moved.cacheCommit.prefix(12)) to \(moved.bundleCommit.prefix(12))")
                        }
                    }
                    await Self.record(result, manifest: manifest, root: root, environment: environment)
                    if json {
                        Terminal.print(try Format.json(result))
                        return
                    }
                    Terminal.print("imported \(Plural.count(result.filesImported, "file")) (\(ProgressFormat.bytes(result.bytesWritten)) written), \(result.filesSkipped) already present, into \(root)")
                    for repo in result.repos {
                        Terminal.print("\(repo.id) @ \(repo.commit)\(repo.refsWritten.isEmpty ? "" : " (\(repo.refsWritten.joined(separator: ", ")))")")
                    }
                }
            }

            /// Records the imported revisions (and the model info the bundle carried) in the local catalog.
            static func record(_ result: BundleImportResult, manifest: BundleManifest, root: String, environment: HubEnvironment) async {
                var inventory = CacheScanner(root: root).scan()
                let imported = Set(result.repos.map { $0.id.lowercased() })
                inventory.repos = inventory.repos.filter { imported.contains($0.id.lowercased()) }
                let infos: [ModelInfo] = manifest.repos.compactMap { repo in
                    guard let value = repo.modelInfo, let data = try? JSONEncoder().encode(value) else { return nil }
                    return try? SafeJSON.decode(ModelInfo.self, from: data)
                }
                await CatalogHook.record(environment: environment) { recorder in
                    var warnings: [String] = []
                    for info in infos { warnings += await recorder.record(info: info) }
                    warnings += await recorder.record(inventory: inventory)
                    return warnings
                }
            }
        }
    }
}

/// `bundle create --json`.
private struct CreateJSON: Encodable {
    var path: String
    var repos: [String]
    var files: Int
    var bytes: Int64
    var sha256: String
    var volumes: [String]
    var contentBytes: Int64
    var compression: String

    init(_ result: BundleCreateResult) {
        path = result.path
        repos = result.repos
        files = result.files
        bytes = result.bytes
        sha256 = result.sha256
        volumes = result.volumes
        contentBytes = result.contentBytes
        compression = result.compression.rawValue
    }
}

/// `bundle ls --json`: the manifest without the card, config and model info bodies.
private struct ListJSON: Encodable {
    var formatVersion: Int
    var createdAt: Date
    var hubscoutVersion: String
    var repos: [Repo]
    var files: Int
    var bytes: Int64

    struct Repo: Encodable {
        var id: String
        var commit: String
        var revision: String
        var refs: [String]
        var hasModelInfo: Bool
        var hasCard: Bool
        var hasConfig: Bool
        var files: [BundleManifest.File]
        var bytes: Int64
    }

    init(_ manifest: BundleManifest) {
        formatVersion = manifest.formatVersion
        createdAt = manifest.createdAt
        hubscoutVersion = manifest.hubscoutVersion
        files = manifest.fileCount
        bytes = manifest.totalBytes
        repos = manifest.repos.map {
            Repo(id: $0.id, commit: $0.commit, revision: $0.revision, refs: $0.refs, hasModelInfo: $0.modelInfo != nil, hasCard: $0.card != nil,
                 hasConfig: $0.config != nil, files: $0.files, bytes: $0.totalBytes)
        }
    }
}
