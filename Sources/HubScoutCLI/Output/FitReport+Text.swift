import HubScoutCore
import HubScoutKit

/// Human output of `hubscout fit`.
extension FitReport {
    /// The breakdown tables, reasons, hardware, assumptions, notes and a closing summary paragraph.
    func render() -> String {
        var lines: [String] = []
        let at = commit.map { " @ " + String($0.prefix(12)) } ?? ""
        let active = parameters.active.map { ", \(Format.parameters($0)) active per token" } ?? ""
        lines.append("\(repo)\(at): \(Format.parameters(parameters.total)) parameters\(active) (\(Self.sourceText(parameters.source)))")
        lines += basisLines
        let engineNote = isGGUFOnly && options.engine.engine == .llamaCpp ? " (GGUF files run on llama.cpp)" : ""
        lines.append("Context \(context) tokens × batch \(options.batch), KV cache \(options.kvDType.rawValue), engine \(options.engine.engine.rawValue)\(engineNote)"
                     + (options.expertsOnCPU ? ", experts on CPU" : "") + ". Sizes in GiB (2^30 bytes); * = exact from tensor headers; TOTAL is what this machine would use.")
        if !precisionRows.isEmpty {
            lines.append("")
            lines.append(table(firstHeader: isGGUFOnly ? "WHAT-IF" : "FORMAT", rows: precisionRows,
                               labels: precisionRows.map { $0.isNative ? "\($0.label) (native)" : $0.label }))
        }
        if !ggufRows.isEmpty {
            lines.append("")
            lines.append(table(firstHeader: "GGUF FILE", rows: ggufRows, labels: ggufRows.map { $0.path ?? $0.label }))
        }
        if isGGUFOnly && precisionRows.isEmpty {
            lines.append("(GGUF-only repository: sized per file; --what-ifs adds fp32/fp16/int8/int4 rows.)")
        }
        lines.append("")
        lines.append("Why")
        for row in precisionRows + ggufRows {
            let v = row.verdict
            var text = "  \(row.path ?? row.label): \(v.reason) Biggest part: \(Self.componentText(v.biggestContributor))"
                + " (\(MemoryFormat.gibText(Self.bytes(of: v.biggestContributor, in: v))))."
            if let fix = v.cheapestFix { text += " Cheapest fix: \(fixText(fix))." }
            lines.append(text)
        }
        lines.append("")
        lines.append("Hardware: " + HardwareReport.oneLine(hardware))
        lines += overrides.map { "  override " + $0 }
        lines.append("")
        lines.append("Engine assumptions (\(options.engine.engine.rawValue); --engine to change):")
        lines += options.engine.assumptions.map { "  - " + $0 }
        if !notes.isEmpty {
            lines.append("Notes:")
            lines += notes.map { "  - " + $0 }
        }
        if !warnings.isEmpty {
            lines.append("Warnings:")
            lines += warnings.map { "  - " + $0 }
        }
        lines.append("")
        lines.append("Summary: " + summary)
        if !runCommands.isEmpty {
            lines.append("")
            lines.append("Run it as sized:")
            for run in runCommands {
                lines.append("  \(run.command)")
                if let note = run.note { lines.append("    (\(run.engine.rawValue): \(note))") }
            }
        }
        lines.append("")
        lines.append(assumptionLine)
        return lines.joined(separator: "\n")
    }

    /// A table of rows: weights, KV, overhead, total (GiB), where it fits, max context.
    func table(firstHeader: String, rows: [Row], labels: [String]) -> String {
        var t = Table(headers: [firstHeader, "WEIGHTS", "KV CACHE", "OVERHEAD", "TOTAL GiB", "WHERE IT FITS", "MAX CONTEXT"],
                      rightAligned: [1, 2, 3, 4, 6])
        for (row, label) in zip(rows, labels) {
            let v = row.verdict, e = v.estimate
            t.rows.append([label, MemoryFormat.gib(e.weightsBytes) + (e.weightsExact ? "*" : ""), MemoryFormat.gib(e.kvCacheBytes),
                           MemoryFormat.gib(v.overheadBytes), MemoryFormat.gib(v.totalBytes), MemoryFormat.verdict(v),
                           MemoryFormat.tokens(v.maxContext)])
        }
        return t.render()
    }

    /// One paragraph: what fits where, why, and what to change.
    var summary: String {
        var s = ""
        let machine = hardware.gpus.isEmpty
            ? "this machine (no GPU, \(ByteCount.format(hardware.ram.availableBytes)) of RAM available)"
            : "this machine (" + hardware.gpus.map { "GPU \($0.index) \($0.name), \(ByteCount.format($0.memoryBytes))" }.joined(separator: "; ")
                + "; \(ByteCount.format(hardware.ram.availableBytes)) of RAM available)"
        if let best {
            let v = best.verdict
            s += "On \(machine), \(repo) runs best as \(best.path ?? best.label): \(MemoryFormat.gibText(v.totalBytes)) in total, "
            switch v.kind {
            case .fitsOnGPU:
                s += v.estimate.expertsOnCPU ? "on the GPU with the routed experts in RAM" : "entirely on the GPU"
            case .fitsWithOffload:
                s += v.estimate.expertsOnCPU && v.gpuLayers >= v.totalLayers
                    ? "on the GPU with the routed experts in RAM"
                    : "with \(v.gpuLayers) of \(v.totalLayers) layers on the GPU and the rest in RAM (slower than a full offload)"
            case .fitsInRAM:
                s += "in RAM on the CPU (slow: " + (hardware.gpus.isEmpty ? "there is no GPU" : "it does not fit the GPU")
                    + (v.format.rankBits <= FitPlanner.cpuClassMaxBits ? "; a 4-bit format reads the fewest bytes per token, which sets CPU speed" : "") + ")"
            case .doesNotFit:
                s += "nowhere"
            }
            s += v.maxContext.map { ", with room for up to \($0) tokens of context" } ?? ""
            if let h = headroom {
                let gpu = h.gpuBytes.map { "\(MemoryFormat.gibText($0)) to spare on the GPU" + (v.gpuIndices.count > 1 ? "s" : "") + ", " } ?? ""
                s += " (\(gpu)\(MemoryFormat.gibText(h.ramBytes)) of RAM to spare). "
            } else {
                s += ". "
            }
            // A what-if is not a download: say how to get those weights.
            if best.path == nil, !best.isNative, [.int8, .int4].contains(v.format) {
                s += "\(v.format) weights: \(howToGet(v.format)). "
            }
            // The most faithful format that did not reach the same placement, and what it would take.
            // The most faithful format that did not reach the same placement (on a GPU), and what it would take.
            let better = hardware.gpus.isEmpty ? nil : candidateRows.filter {
                $0.verdict.format.rankBits > v.format.rankBits && ($0.verdict.format != .fp32 || nativeFormat == .fp32)
            }.max { $0.verdict.format.rankBits < $1.verdict.format.rankBits }
            if let better {
                let b = better.verdict
                s += "\(better.path ?? better.label) would need \(MemoryFormat.gibText(b.totalBytes)) (\(MemoryFormat.verdict(b)))"
                s += b.cheapestFix.map { "; to get it there, \(fixText($0)). " } ?? ". "
            }
            s += "The biggest part is the \(Self.componentText(v.biggestContributor)) (\(MemoryFormat.gibText(Self.bytes(of: v.biggestContributor, in: v)))). "
        } else if let smallest {
            let v = smallest.verdict
            s += "Nothing fits on \(machine): even \(smallest.path ?? smallest.label) needs \(MemoryFormat.gibText(v.totalBytes)). \(v.reason) "
            s += "The biggest part is the \(Self.componentText(v.biggestContributor)); "
            s += v.cheapestFix.map { "the cheapest fix is to \(fixText($0)). " } ?? "no smaller format or shorter context makes it fit here. "
        }
        if case .publicFacts = basis { s += "This is an estimate from public facts (the repository is gated). " }
        let exact = (precisionRows + ggufRows).contains { $0.verdict.estimate.weightsExact }
        s += "Figures assume \(context) tokens of context × \(options.batch) sequence\(options.batch == 1 ? "" : "s"), "
        s += "KV cache type \(options.kvDType.rawValue) and the \(options.engine.engine.rawValue) engine profile, with 1 GiB kept free per device; "
        s += "weights are " + (exact ? "exact from the tensor headers where marked *, otherwise " : "")
        s += "\(Format.parameters(parameters.total)) parameters × bits per weight."
        return s
    }

    static func componentText(_ c: MemoryComponent) -> String {
        switch c {
        case .weights: return "weights"
        case .kvCache: return "KV cache"
        case .overhead: return "runtime overhead"
        }
    }

    /// The bytes of one part as the row shows them (overhead: the verdict's, for this host).
    static func bytes(of c: MemoryComponent, in v: FitVerdict) -> Int64 {
        switch c {
        case .weights: return v.estimate.weightsBytes
        case .kvCache: return v.estimate.kvCacheBytes
        case .overhead: return v.overheadBytes
        }
    }

    /// What the figures rest on, when it is not the repository's files read from the Hub.
    var basisLines: [String] {
        switch basis {
        case .repositoryFiles:
            return []
        case .localCache(let path):
            return ["From the local cache (no network): config.json and headers of \(path)."]
        case .publicFacts(let facts):
            return ["ESTIMATE FROM PUBLIC FACTS: \(repo) is gated, so config.json and the weight headers could not be read. Sized from:"]
                + facts.map { "  - " + $0 }
                + ["  Accept the license at the repository page and log in (hubscout login) for figures from its own files."]
        }
    }

    static func sourceText(_ s: ParameterSource) -> String {
        switch s {
        case .tensorHeaders: return "counted from tensor headers"
        case .hubAPI: return "Hub API safetensors count"
        case .configFormula: return "estimated from config.json"
        }
    }
}
