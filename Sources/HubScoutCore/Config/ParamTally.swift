/// An overflow-checked running parameter count with the building blocks transformers models are made of
/// (linear layers, norms, embeddings), so family formulas read like the module trees they mirror.
struct ParamTally {
    /// Parameters counted so far.
    private(set) var total: Int64 = 0
    /// What is being counted, for overflow errors.
    let what: String

    init(_ what: String) { self.what = what }

    /// Adds the product of `factors` (a weight tensor's shape).
    mutating func add(_ factors: Int...) throws(ParameterCountError) {
        var product: Int64 = 1
        for f in factors {
            let (p, o) = product.multipliedReportingOverflow(by: Int64(f))
            if o { throw .overflow(what) }
            product = p
        }
        try add(count: product)
    }

    /// Adds an already computed count, `times` times (e.g. one layer's count for every layer).
    mutating func add(count: Int64, times: Int = 1) throws(ParameterCountError) {
        let (p, o1) = count.multipliedReportingOverflow(by: Int64(times))
        let (s, o2) = total.addingReportingOverflow(p)
        if o1 || o2 { throw .overflow(what) }
        total = s
    }

    /// `nn.Linear(input, output)`: a weight, plus a bias when `bias`.
    mutating func linear(_ input: Int, _ output: Int, bias: Bool) throws(ParameterCountError) {
        try add(input, output)
        if bias { try add(output) }
    }

    /// `nn.LayerNorm(d)`: weight and bias (`bias: false` for the bias-free variants).
    mutating func layerNorm(_ d: Int, bias: Bool = true) throws(ParameterCountError) {
        try add(bias ? 2 : 1, d)
    }

    /// An RMSNorm with a learned scale of width `d`.
    mutating func rmsNorm(_ d: Int) throws(ParameterCountError) { try add(d) }

    /// A pre-LN encoder layer as in BERT/ViT/CLIP: biased q/k/v/o of width `h`, two biased MLP linears
    /// (`h → inner → h`) and two LayerNorms.
    mutating func biasedEncoderLayer(_ h: Int, inner: Int, times: Int = 1) throws(ParameterCountError) {
        var layer = ParamTally(what)
        for _ in 0..<4 { try layer.linear(h, h, bias: true) }
        try layer.linear(h, inner, bias: true)
        try layer.linear(inner, h, bias: true)
        try layer.layerNorm(h)
        try layer.layerNorm(h)
        try add(count: layer.total, times: times)
    }

    /// A gated (SwiGLU) MLP without biases: gate, up and down projections.
    mutating func gatedMLP(_ h: Int, _ inner: Int) throws(ParameterCountError) {
        try add(3, h, inner)
    }
}
