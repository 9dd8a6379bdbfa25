extension EstimateOptions {
    /// Every assumption behind an estimate in one line: engine, context, sequences, KV type, step size and the fixed
    /// overheads, so a figure can be checked against a run (and `--json` carries the same line).
    public func assumptionLine(context: Int, policy: FitPolicy = FitPolicy()) -> String {
        let e = engine
        let step = e.computeTokens >= Int(Int32.max) ? "the whole prompt in one step" : "\(e.computeTokens)-token steps"
        var parts = ["engine \(e.engine.rawValue)", "context \(context) tokens × \(batch) sequence\(batch == 1 ? "" : "s")",
                     "KV cache \(kvDType.rawValue)", step + (e.flashAttention ? " with flash attention" : "")]
        if let pct = e.memoryUtilizationPercent {
            parts.append("\(pct) % of each GPU's memory")
        } else {
            parts.append("\(GiBText.text(policy.gpuMarginBytes)) kept free per GPU")
        }
        parts.append("runtime \(GiBText.text(e.runtimeOverheadBytes)) per GPU")
        parts.append("process \(GiBText.text(e.hostOverheadBytes)) in RAM, \(GiBText.text(policy.ramMarginBytes)) of RAM kept free")
        if expertsOnCPU { parts.append("routed experts in RAM") }
        return "Assumes " + parts.joined(separator: ", ") + "."
    }
}
