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
            Reads config.json and the safetensors/GGUF headers with Range requests (never the weights), then sizes
            weights, KV cache and runtime overhead at FP32, FP16, INT8, INT4, the repo's own format and each GGUF
            file. Each row gets a verdict (fits on GPU / partial offload N of L layers / RAM only / does not fit),
            the largest context that keeps it, the biggest contributor and the cheapest fix. Sizes are GiB (2^30 bytes);
            1 GiB is kept free per GPU and in RAM. The engine's assumptions are printed with the result.

            Examples:
              hubscout fit Qwen/Qwen2.5-7B-Instruct
              hubscout fit meta-llama/Llama-3.1-8B-Instruct --gpu 24GB --context 32768 --kv-dtype q8_0
              hubscout fit mistralai/Mixtral-8x7B-v0.1 --gpu 24GB --ram 64GB --experts-on-cpu --engine llama.cpp
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
        @Option(help: ArgumentHelp("Engine whose constants to assume: default, transformers, llama.cpp, vllm or mlx.", valueName: "name"))
        var engine: Engine = .default
        @Flag(name: .customLong("experts-on-cpu"), help: "MoE: keep the routed experts in RAM and the rest on the GPU.")
        var expertsOnCPU = false

        @OptionGroup var overrides: HardwareOptions
        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let context { guard (1...(1 << 30)).contains(context) else { throw ValidationError("--context must be between 1 and 1073741824 tokens") } }
            guard (1...(1 << 20)).contains(batch) else { throw ValidationError("--batch must be between 1 and 1048576") }
        }

        /// The estimate options the flags describe.
        var estimateOptions: EstimateOptions {
            EstimateOptions(context: context, batch: batch, kvDType: kvDType,
                            engine: EngineProfile.profile(for: engine), expertsOnCPU: expertsOnCPU)
        }

        func run() async throws {
            try await CommandRunner.run {
                async let detected = overrides.hardware()
                let inspection = try await ModelInspector(client: try hub.client()).inspect(target.repo, revision: target.effectiveRevision, readHeaders: true)
                let hardware = try await detected
                let estimator: MemoryEstimator
                switch inspection.estimator() {
                case .success(let e): estimator = e
                case .failure(let why): throw FitCommandError.cannotEstimate(repo: inspection.info.id, reason: why.reason)
                }
                let report = try FitReport(inspection: inspection, estimator: estimator, hardware: hardware,
                                           overrides: try overrides.override().explanations, options: estimateOptions,
                                           quantization: target.model.quantization)
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
