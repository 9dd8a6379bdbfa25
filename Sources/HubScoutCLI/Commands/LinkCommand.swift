import ArgumentParser
import Foundation
import HubScoutCache
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout link ORG/NAME[:QUANT] --to ollama|lmstudio|llamacpp`: a cached GGUF handed to another tool by hard links.
    struct LinkCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Make a GGUF model from the Hugging Face cache usable by Ollama, LM Studio or llama.cpp, without a copy.",
            discussion: """
            The weights become hard links to the cache's file, so the model takes no more disk space. For Ollama, link also writes what ollama create would: a manifest and a config naming the blob, and the chat template and stop words when the GGUF's template is of a known family (chatml, llama3, gemma, phi3, mistral). For LM Studio the file appears as PUBLISHER/REPO/FILE.gguf in its models folder; for llama.cpp as the entry an -hf download leaves in its cache.

            Each file is checked against its sha256 first (remembered in the catalog, so a second link reads nothing), written under a temporary name and renamed, and the Ollama manifest comes last. The tool's store must be on the same filesystem as the cache: a hard link cannot cross filesystems, and link never copies. Deleting the model in either tool leaves the other's copy working.

            Examples:
              hubscout link Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M --to ollama
              hubscout link Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M --to lmstudio --dry-run
              hubscout link Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M --to llamacpp --json
            """
        )

        @OptionGroup var target: ModelOptions
        @Option(help: ArgumentHelp("The tool to hand the model to: \(ModelLinkTarget.allValueStrings.joined(separator: ", ")).", valueName: "tool"))
        var to: ModelLinkTarget
        @Option(help: ArgumentHelp("The tool's models folder (default: where the tool keeps them: OLLAMA_MODELS, LM Studio's downloadsFolder, LLAMA_CACHE, or their standard places).",
                                   valueName: "folder"))
        var store: String?
        @Flag(name: .customLong("dry-run"), help: "Show what would be linked and written; change nothing.")
        var dryRun = false
        @OptionGroup var cache: CacheDirectoryOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let environment = HubEnvironment()
                let hubCache = HubCache(root: cache.root(in: environment))
                var reference = target.model
                reference.revision = target.effectiveRevision
                let memo: any ContentHashMemo = await CatalogHashMemo.open(environment: environment) ?? InMemoryHashMemo()
                let source = try await CachedVariantReader(cache: hubCache, memo: memo).source(reference)
                let folder = try storeFolder(environment: environment)
                let linker = ModelLinker()
                let plan = try linker.plan(source, to: to, store: folder)
                if !dryRun { try linker.apply(plan) }
                if output.json {
                    Terminal.print(try Format.json(LinkJSON(dryRun: dryRun, plan: plan)))
                    return
                }
                // Paths relative to the store, which is named once: the rows stay readable on a terminal.
                Terminal.note("\(to.rawValue) store: \(plan.store)")
                var table = Table(headers: ["ACTION", "PATH", "SIZE"], rightAligned: [2])
                for step in plan.steps {
                    let size: String
                    switch step {
                    case let .hardLink(_, _, bytes): size = ByteCount.format(bytes)
                    case let .write(_, contents): size = ByteCount.format(Int64(contents.count))
                    case .present: size = ""
                    }
                    let path = step.path.hasPrefix(plan.store + "/") ? String(step.path.dropFirst(plan.store.count + 1)) : step.path
                    table.rows.append([dryRun && step.action != "present" ? "would " + step.action : step.action, path, size])
                }
                Terminal.print(table.render())
                for note in plan.notes { Terminal.note(note) }
                if plan.steps.allSatisfy({ $0.action == "present" }) {
                    Terminal.note("\(plan.modelName) is already in \(to.rawValue); nothing to write\(Self.hint(to, plan))")
                    return
                }
                let verb = dryRun ? "would appear" : "appears"
                Terminal.note("\(plan.modelName) \(verb) in \(to.rawValue) (\(ByteCount.format(plan.linkedBytes)) linked, 0 B copied)\(Self.hint(to, plan))")
            }
        }

        /// `--store`, else the first of the tool's standard folders that exists.
        func storeFolder(environment: HubEnvironment) throws -> String {
            if let store { return (store as NSString).expandingTildeInPath }
            let locations = LocalModelLocations.standard(environment: ProcessInfo.processInfo.environment, huggingFaceCache: cache.root(in: environment))
            let candidates: [String]
            switch to {
            case .ollama: candidates = locations.ollama
            case .lmstudio: candidates = locations.lmstudio
            case .llamacpp: candidates = locations.llamacpp
            }
            guard let found = candidates.first(where: { FileFacts.stat($0)?.isDirectory == true }) else {
                throw ModelLinkError.storeMissing(tool: to, tried: candidates)
            }
            return found
        }

        static func hint(_ target: ModelLinkTarget, _ plan: ModelLinkPlan) -> String {
            switch target {
            case .ollama: "; run it with: ollama run \(plan.modelName)"
            case .lmstudio: "; it shows in LM Studio's My Models"
            case .llamacpp: "; run it with: llama-server -hf \(plan.modelName)"
            }
        }
    }
}

/// `link --json`.
struct LinkJSON: Encodable {
    var dryRun: Bool
    var tool: ModelLinkTarget
    var store: String
    var model: String
    var steps: [ModelLinkPlan.Step]
    var linkedBytes: Int64
    var copiedBytes: Int64 = 0
    var notes: [String]

    init(dryRun: Bool, plan: ModelLinkPlan) {
        self.dryRun = dryRun; tool = plan.target; store = plan.store; model = plan.modelName; steps = plan.steps
        linkedBytes = plan.linkedBytes; notes = plan.notes
    }
}
