import ArgumentParser
import Dispatch
import Foundation
import HubScoutCore
import HubScoutKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HubScoutCommand {
    /// `hubscout download`: fetch files of a repository into the HF cache or a folder, resumably and verified.
    struct DownloadCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "download",
            abstract: "Download model files into the Hugging Face cache (or a folder), verified and resumable.",
            discussion: """
            Files land in the cache shared with huggingface_hub (HF_HUB_CACHE, default ~/.cache/huggingface/hub) unless --local-dir is given. Every file is checked against its hash while it streams; an interrupted download (Ctrl-C, a lost connection) resumes where it stopped when run again. Patterns are case-sensitive shell globs in which * also matches /.

            Examples:
              hubscout download Qwen/Qwen2.5-0.5B
              hubscout download Qwen/Qwen2.5-0.5B config.json "*.safetensors"
              hubscout download hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M
              hubscout download meta-llama/Llama-3.1-8B-Instruct --exclude "original/*"
              hubscout download Qwen/Qwen2.5-7B-Instruct-GGUF --include "*q4_k_m*" --dry-run
            """
        )

        @OptionGroup var target: ModelOptions
        @Argument(help: ArgumentHelp("Files or glob patterns to fetch (default: all).", valueName: "files"))
        var files: [String] = []

        @Option(help: ArgumentHelp("Only files matching this glob (repeatable).", valueName: "glob"))
        var include: [String] = []
        @Option(help: ArgumentHelp("Skip files matching this glob (repeatable).", valueName: "glob"))
        var exclude: [String] = []
        @Option(help: ArgumentHelp("Write plain files into this folder instead of the cache.", valueName: "dir"))
        var localDir: String?
        @OptionGroup var cache: CacheDirectoryOptions
        @Option(help: ArgumentHelp("Connections per large file (ranges fetched at once).", valueName: "n"))
        var connections: Int = 4
        @Option(help: ArgumentHelp("Large files (8 MiB or more) downloaded at once; smaller ones go up to 48 at a time over the shared connection.", valueName: "n"))
        var maxWorkers: Int = 8
        @Flag(help: "Print the plan (files, bytes to fetch, free space, access) and exit.")
        var dryRun = false

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (1...32).contains(connections) else { throw ValidationError("--connections must be between 1 and 32") }
            guard (1...64).contains(maxWorkers) else { throw ValidationError("--max-workers must be between 1 and 64") }
        }

        func run() async throws {
            try await CommandRunner.run {
                do {
                    try await execute()
                } catch let error as DownloadError {
                    Terminal.error(error.description)
                    throw ExitCode(error.exitCode)
                } catch let error where Self.isInterruption(error) {
                    Terminal.error("interrupted; the partial download is kept, run the same command again to resume")
                    throw ExitCode(130)
                } catch let error as HubError {
                    if case .gated = error { await explainGating() }
                    throw error
                }
            }
        }

        /// For a gated repo: the license whose terms must be accepted, read from the public metadata.
        private func explainGating() async {
            let id = target.repo
            guard let info = try? await (try hub.client()).modelInfo(id) else { return }
            let mode = info.gated == .manual ? "the owners review each request" : "access is granted once you accept"
            let license = info.license.map { "license \($0)" } ?? "the repository's terms"
            Terminal.note("\(info.id) is gated (\(mode)): accept \(license) at \(hub.environment.repoPageURL(id)), then log in with hubscout login")
        }

        private func execute() async throws {
            let request = DownloadRequest(repo: target.repo, revision: target.effectiveRevision,
                                          files: files + (target.model.file.map { [$0] } ?? []),
                                          include: include, exclude: exclude, quantization: target.model.quantization,
                                          localDirectory: localDir.map(Self.absolute), cacheDirectory: cache.given)
            let options = DownloadOptions(connectionsPerFile: connections, maxConcurrentFiles: maxWorkers)
            let downloader = Downloader(client: try hub.client(), options: options)
            let plan = try await downloader.plan(request, probeAccess: dryRun)
            if dryRun {
                try printPlan(plan)
                return
            }
            let display = ProgressDisplay(mode: output.progressMode)
            let task = Task { try await downloader.download(plan: plan) { display.handle($0) } }
            let interrupts = InterruptHandler { task.cancel() }
            defer { interrupts.stop() }
            let summary: DownloadSummary
            do {
                summary = try await task.value
            } catch {
                display.finish()
                throw error
            }
            display.finish()
            await CatalogHook.record(environment: hub.environment) { recorder in
                var warnings = await recorder.record(download: summary)
                // Weights just fetched into the cache: read their headers locally (no request) so `ls` knows the
                // parameters and the fit of, say, a GGUF whose repository has no config.json.
                guard let cache = plan.target.cache, summary.files.contains(where: { RepoFileFormat.of($0.path).isWeights }),
                      let inspection = try? await CachedModelInspector(cache: cache).inspect(plan.repo, revision: summary.commit.value)
                else { return warnings }
                warnings += await recorder.record(facts: inspection)
                return warnings
            }
            if output.json {
                ProgressDisplay.printJSONLine(SummaryLine(summary))
            } else {
                let verified = summary.files.filter(\.verified).count
                Terminal.note("done: \(Plural.count(summary.files.count, "file")), \(ProgressFormat.bytes(summary.bytesDownloaded)) downloaded, \(ProgressFormat.bytes(summary.bytesReused)) reused, \(verified) verified, in \(ProgressFormat.duration(summary.seconds))")
                Terminal.print(summary.snapshotPath)
            }
        }

        private func printPlan(_ plan: DownloadPlan) throws {
            if output.json {
                Terminal.print(try Format.json(plan))
                return
            }
            var table = Table(headers: ["FILE", "SIZE", "STATE"], rightAligned: [1])
            for file in plan.files {
                let state: String
                switch file.state {
                case .present: state = "present"
                case .blobCached: state = "in cache (link only)"
                case .partial: state = "partial, \(ProgressFormat.bytes(file.partialBytes)) on disk"
                case .missing: state = "to fetch"
                }
                table.rows.append([file.path.value, ProgressFormat.bytes(file.size), state])
            }
            Terminal.print("\(plan.repo) @ \(plan.revision) → commit \(plan.commit)")
            Terminal.print("destination: \(plan.destination)")
            Terminal.print(table.render())
            Terminal.print("total: \(Plural.count(plan.files.count, "file")), \(ProgressFormat.bytes(plan.totalBytes)); present \(ProgressFormat.bytes(plan.bytesPresent)); to fetch \(ProgressFormat.bytes(plan.bytesToFetch))")
            let free = plan.freeBytes.map { ProgressFormat.bytes($0) } ?? "unknown"
            Terminal.print("free space: \(free)\(plan.lacksSpace ? " — NOT ENOUGH, the download would be refused" : "")")
            let gated = plan.gated.map { $0.isGated ? $0.rawValue : "no" } ?? "unknown (the Hub did not say)"
            Terminal.print("gated: \(gated); token: \(plan.tokenSource?.rawValue ?? "none (anonymous)")\(plan.access.map { "; access: \($0)" } ?? "")")
        }

        /// Ctrl-C surfaces as task cancellation, or as a cancelled transfer inside a Hub request.
        static func isInterruption(_ error: any Error) -> Bool {
            if error is CancellationError { return true }
            if let hub = error as? HubError, case .network(.cancelled) = hub { return true }
            return false
        }

        static func absolute(_ path: String) -> String {
            let expanded = (path as NSString).expandingTildeInPath
            return expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        }
    }
}

/// The final `--json` line: the summary with the documented keys first.
private struct SummaryLine: Encodable {
    var event = "summary"
    var snapshotPath: String
    var revision: String
    var commit: String
    var repo: String
    var files: [FileLine]
    var bytesDownloaded: Int64
    var bytesReused: Int64
    var seconds: Double

    struct FileLine: Encodable {
        var path: String
        var size: Int64
        var sha256: String?
        var verified: Bool
        var status: String
        var etag: String?
    }

    init(_ summary: DownloadSummary) {
        snapshotPath = summary.snapshotPath
        revision = summary.revision
        commit = summary.commit.value
        repo = summary.repo
        files = summary.files.map { FileLine(path: $0.path, size: $0.size, sha256: $0.sha256, verified: $0.verified, status: $0.status.rawValue, etag: $0.etag?.value) }
        bytesDownloaded = summary.bytesDownloaded
        bytesReused = summary.bytesReused
        seconds = summary.seconds
    }
}

/// Turns the first Ctrl-C into task cancellation (the partial file stays resumable); a second one exits at once.
/// `@unchecked Sendable`: the signal source is only touched at creation and in `stop`.
private final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [lock] in
            let first: Bool = lock.withLock { [self] in
                count += 1
                return count == 1
            }
            if first {
                Terminal.writeErr(Data("\ninterrupting; saving the partial download (Ctrl-C again to quit at once)\n".utf8))
                onInterrupt()
            } else {
                exit(130)
            }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
