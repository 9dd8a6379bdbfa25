import ArgumentParser
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout fit`: will this model fit on this machine, in which precision, with how much context.
    struct FitCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit",
            abstract: "Estimate a model's memory per precision and GGUF file, and say where it fits on this machine.",
            discussion: """
            Reads config.json and the safetensors/GGUF headers with Range requests (never the weights), then sizes weights, KV cache and runtime overhead at FP32, FP16, INT8, INT4, the repo's own format and each GGUF file. Each row gets a verdict (fits on GPU / partial offload N of L layers / RAM only / does not fit), the largest context that keeps it, the biggest contributor and the cheapest fix. A row's TOTAL is what this machine would use (GPU + RAM; no GPU runtime when it runs on the CPU), the same figure in the reason and the JSON. Sizes are GiB (2^30 bytes); 1 GiB is kept free per GPU and in RAM. The engine's assumptions are printed with the result.

            A GGUF-only repository is sized per file with the llama.cpp profile (unless --engine says otherwise) and the recommendation is one of its files; --what-ifs adds fp32/fp16/int8/int4 rows. Without a GPU the recommendation is what CPU users run: a 4-bit format (Q4 GGUF, int4) when it fits.

            A gated repository without access is still sized from public facts (the Hub API's parameter count, the local catalog's config facts, the card's metadata), labelled as such; stderr says how to get access, as download does, and it exits 11 when nothing public is enough to size it. With HF_HUB_OFFLINE=1 (or the Hub unreachable) a model already in the local cache is read from its cached files.

            Examples:
              hubscout fit Qwen/Qwen2.5-7B-Instruct
              hubscout fit meta-llama/Llama-3.1-8B-Instruct --gpu 24GB --context 32768
              hubscout fit mistralai/Mixtral-8x7B-v0.1 --gpu 24GB --experts-on-cpu
              hubscout fit bartowski/Qwen_Qwen3-8B-GGUF --json
            """
        )

        @OptionGroup var target: ModelOptions
        @Option(help: ArgumentHelp("Tokens per sequence (default 8192, capped at the model's context length).", valueName: "n"))
        var context: Int?
        @Option(help: ArgumentHelp("Parallel sequences, each with its own KV cache.", valueName: "n"))
        var batch: Int = 1
        @Option(name: .customLong("kv-dtype"), help: ArgumentHelp("KV cache type: f16, q8_0, q4_0 or fp8.", valueName: "type"))
        var kvDType: KVCacheDType = .f16
        @Option(help: ArgumentHelp("Engine whose constants to assume: default, transformers, llama.cpp, vllm or mlx (default: llama.cpp for a GGUF-only repository, else default).", valueName: "name"))
        var engine: Engine?
        @Flag(name: .customLong("experts-on-cpu"), help: "MoE: keep the routed experts in RAM and the rest on the GPU.")
        var expertsOnCPU = false
        @Flag(name: .customLong("what-ifs"), help: "GGUF-only repository: also size fp32/fp16/int8/int4 what-ifs (never recommended).")
        var whatIfs = false

        @OptionGroup var overrides: HardwareOptions
        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let context { guard (1...(1 << 30)).contains(context) else { throw ValidationError("--context must be between 1 and 1073741824 tokens") } }
            guard (1...(1 << 20)).contains(batch) else { throw ValidationError("--batch must be between 1 and 1048576") }
        }

        /// The estimate options the flags describe; without --engine, GGUF-only repositories assume llama.cpp.
        func estimateOptions(ggufOnly: Bool = false) -> EstimateOptions {
            EstimateOptions(context: context, batch: batch, kvDType: kvDType,
                            engine: EngineProfile.profile(for: engine ?? (ggufOnly ? .llamaCpp : .default)), expertsOnCPU: expertsOnCPU)
        }

        func run() async throws {
            try await CommandRunner.run {
                async let detected = overrides.hardware()
                let found = try await ModelLookup.inspect(target.repo, revision: target.effectiveRevision, readHeaders: true, hub: hub)
                // Gated: say what download says, then answer from what is public until access is granted.
                let (inspection, publicFacts) = await ModelLookup.answeringFromPublicFacts(found, hub: hub)
                let hardware = try await detected
                let sizing: ModelFacts.Sizing
                switch inspection.sizing() {
                case .success(let s): sizing = s
                case .failure(let why):
                    if let gated = inspection.gatedError {
                        if let bounds = GatingNotice.lowerBounds(inspection) { Terminal.note(bounds) }
                        throw gated
                    }
                    throw FitCommandError.cannotEstimate(repo: inspection.info.id, reason: why.reason)
                }
                let report = try FitReport(inspection: inspection, sizing: sizing, hardware: hardware,
                                           overrides: try overrides.override().explanations, options: estimateOptions(ggufOnly: inspection.isGGUFOnly),
                                           quantization: target.model.quantization, whatIfs: whatIfs,
                                           basis: ModelLookup.basis(of: inspection, publicFacts: publicFacts))
                Terminal.print(output.json ? try Format.json(FitReportJSON(report)) : report.render())
            }
        }
    }
}

/// Why `hubscout fit` could not size a model.
enum FitCommandError: Error, Sendable, CustomStringConvertible {
    /// The repo lacks what an estimate needs.
    case cannotEstimate(repo: String, reason: String)

    var description: String {
        switch self {
        case let .cannotEstimate(repo, reason):
            return "Cannot estimate the memory of \(repo): \(reason). Try a repo with a config.json of a known architecture, or its GGUF variant."
        }
    }
}
