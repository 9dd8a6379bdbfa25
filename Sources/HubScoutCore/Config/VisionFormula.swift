/// Approximate ViT parameter count for the vision tower of multimodal models, plus the projector
/// into the language model for the families whose projector shape is known (LLaVA, Gemma 3, Qwen2-VL).
enum VisionFormula {
    static func estimate(_ v: VisionConfig, parentModelType: String?, textHidden: Int?)
        throws(ParameterCountError) -> (parameters: Int64, notes: [String]) {
        let missing = [(v.hiddenSize, "vision_config.hidden_size"), (v.numLayers, "vision_config.num_hidden_layers"),
                       (v.intermediateSize, "vision_config.intermediate_size"), (v.patchSize, "vision_config.patch_size")]
            .filter { $0.0 == nil }.map(\.1)
        guard missing.isEmpty, let hv = v.hiddenSize, let layers = v.numLayers, let inner = v.intermediateSize,
              let patch = v.patchSize else {
            return (0, ["The vision tower is not counted: the config lacks " + missing.joined(separator: ", ") + "."])
        }
        if layers > ParameterCounter.maxLayers { throw .implausibleValue(key: "vision_config.num_hidden_layers", value: layers) }
        let channels = v.numChannels ?? 3
        let parent = parentModelType ?? ""
        let type = v.modelType ?? parent
        var notes: [String] = []
        if type == "qwen2_5_vl_vision" || (v.modelType == nil && parent == "qwen2_5_vl") {
            return (try qwen25(v, hv: hv, layers: layers, inner: inner, patch: patch, channels: channels, textHidden: textHidden), [])
        }
        if type.hasPrefix("qwen3_vl") || type.hasPrefix("qwen3_5") {
            return (try qwen3(v, hv: hv, layers: layers, inner: inner, patch: patch, channels: channels, textHidden: textHidden), [])
        }
        if type == "pixtral" {
            return (try pixtral(hv: hv, layers: layers, inner: inner, patch: patch, channels: channels,
                                merge: v.spatialMergeSize ?? 2, textHidden: parent == "pixtral" ? nil : textHidden), [])
        }
        // Encoder layers: biased q/k/v/o, a 2-matrix biased MLP, two LayerNorms with bias.
        let layer = try ParamMath.sum(try ParamMath.mul(4, hv, hv, what: "vision"), try ParamMath.mul(4, hv, what: "vision"),
                                      try ParamMath.mul(2, hv, inner, what: "vision"), Int64(inner), Int64(hv),
                                      try ParamMath.mul(4, hv, what: "vision"), what: "vision")
        var parts: [Int64] = [try ParamMath.times(layer, layers, what: "vision")]
        let isQwen = parent.hasPrefix("qwen2") && parent.contains("vl")
        if isQwen {
            // Conv3d patch embedding without bias, rotary positions, then the patch merger.
            let temporal = v.temporalPatchSize ?? 2
            parts.append(try ParamMath.mul(channels, temporal, patch, patch, hv, what: "vision"))
            let merge = v.spatialMergeSize ?? 2
            if let out = v.outHiddenSize ?? textHidden {
                let wide = try ParamMath.mul(hv, merge, merge, what: "merger")
                guard wide <= Int64(Int32.max) else { throw .overflow("merger") }
                let w = Int(wide)
                parts += [try ParamMath.mul(2, hv, what: "merger"), try ParamMath.mul(w, w, what: "merger"), wide,
                          try ParamMath.mul(w, out, what: "merger"), Int64(out)]
            }
        } else {
            guard let image = v.imageSize else {
                return (0, ["The vision tower is not counted: the config lacks vision_config.image_size."])
            }
            let side = image / patch
            let isCLIP = type.contains("clip")
            let grid = try ParamMath.mul(side, side, what: "vision")
            guard grid <= Int64(Int32.max) else { throw .overflow("vision position embeddings") }
            let positions = Int(grid) + (isCLIP ? 1 : 0)                                      // CLIP adds a class position
            parts.append(try ParamMath.mul(channels, patch, patch, hv, what: "vision"))       // patch conv weights
            parts.append(try ParamMath.mul(positions, hv, what: "vision"))                    // position embeddings
            parts.append(try ParamMath.mul(isCLIP ? 5 : 3, hv, what: "vision"))               // class emb + pre/post LN, or conv bias + post LN
            if !isCLIP && !type.contains("siglip") {
                notes.append("The vision tower (\(type)) was counted as a SigLIP-style ViT; treat it as approximate.")
            }
            if let ht = textHidden {
                switch parent {
                case "llava", "llava_next", "vipllava":
                    // Two-layer MLP projector with biases.
                    parts += [try ParamMath.mul(hv, ht, what: "projector"), Int64(ht), try ParamMath.mul(ht, ht, what: "projector"), Int64(ht)]
                case "paligemma":
                    // One biased projection.
                    parts += [try ParamMath.mul(hv, ht, what: "projector"), Int64(ht)]
                case "gemma3":
                    // One projection matrix and a soft-embedding RMSNorm.
                    parts += [try ParamMath.mul(hv, ht, what: "projector"), Int64(hv)]
                default:
                    notes.append("The \(parent) projector between vision tower and language model is not counted.")
                }
            }
        }
        return (try ParamMath.sum(parts, what: "vision"), notes)
    }

    /// Qwen2.5-VL's tower: RMSNorms, biased q/k/v/o, a gated MLP with biases, a bias-free Conv3d patch embedding,
    /// then a merger (RMSNorm, two biased linears over 2×2 merged patches).
    private static func qwen25(_ v: VisionConfig, hv: Int, layers: Int, inner: Int, patch: Int, channels: Int,
                               textHidden: Int?) throws(ParameterCountError) -> Int64 {
        let block = try ParamMath.sum(try ParamMath.mul(2, hv, what: "vision"), try ParamMath.mul(4, hv, hv, what: "vision"),
                                      try ParamMath.mul(4, hv, what: "vision"), try ParamMath.mul(3, hv, inner, what: "vision"),
                                      try ParamMath.mul(2, inner, what: "vision"), Int64(hv), what: "vision")
        var parts = [try ParamMath.times(block, layers, what: "vision"),
                     try ParamMath.mul(channels, v.temporalPatchSize ?? 2, patch, patch, hv, what: "vision")]
        let merge = v.spatialMergeSize ?? 2
        if let out = v.outHiddenSize ?? textHidden {
            let wide = try ParamMath.mul(hv, merge, merge, what: "merger")
            guard wide <= Int64(Int32.max) else { throw .overflow("merger") }
            let w = Int(wide)
            parts += [Int64(hv), try ParamMath.mul(w, w, what: "merger"), wide, try ParamMath.mul(w, out, what: "merger"), Int64(out)]
        }
        return try ParamMath.sum(parts, what: "vision")
    }

    /// Qwen3-VL / Qwen3.5's tower: a biased Conv3d patch embedding, a learned position table, LayerNorms, biased
    /// q/k/v/o and two-matrix MLP, a merger (LayerNorm, two biased linears over 2×2 merged patches) and one more
    /// merger per deepstack layer (its LayerNorm taken after the merge, so 4× wider).
    private static func qwen3(_ v: VisionConfig, hv: Int, layers: Int, inner: Int, patch: Int, channels: Int,
                              textHidden: Int?) throws(ParameterCountError) -> Int64 {
        let block = try ParamMath.sum(try ParamMath.mul(8, hv, what: "vision"), try ParamMath.mul(4, hv, hv, what: "vision"),
                                      try ParamMath.mul(2, hv, inner, what: "vision"), Int64(inner), Int64(hv), what: "vision")
        var parts = [try ParamMath.times(block, layers, what: "vision"),
                     try ParamMath.mul(channels, v.temporalPatchSize ?? 2, patch, patch, hv, what: "vision"), Int64(hv),
                     try ParamMath.mul(v.numPositionEmbeddings ?? 0, hv, what: "vision")]
        let merge = v.spatialMergeSize ?? 2
        if let out = v.outHiddenSize ?? textHidden {
            let wide = try ParamMath.mul(hv, merge, merge, what: "merger")
            guard wide <= Int64(Int32.max) else { throw .overflow("merger") }
            let w = Int(wide)
            let merger = try ParamMath.sum(try ParamMath.mul(w, w, what: "merger"), wide, try ParamMath.mul(w, out, what: "merger"),
                                           Int64(out), what: "merger")
            parts += [try ParamMath.mul(2, hv, what: "merger"), merger]
            let deep = v.deepstackLayerCount ?? 0
            parts.append(try ParamMath.times(try ParamMath.sum(merger, 2 * wide, what: "merger"), deep, what: "merger"))
        }
        return try ParamMath.sum(parts, what: "vision")
    }

    /// Pixtral's tower: bias-free patch conv, RMSNorms, bias-free q/k/v/o and gated MLP (rotary positions, no table).
    /// Inside Mistral 3 a projector follows: RMSNorm, a bias-free patch merger over merge² patches, two bias-free linears.
    private static func pixtral(hv: Int, layers: Int, inner: Int, patch: Int, channels: Int, merge: Int,
                                textHidden: Int?) throws(ParameterCountError) -> Int64 {
        let block = try ParamMath.sum(try ParamMath.mul(2, hv, what: "vision"), try ParamMath.mul(4, hv, hv, what: "vision"),
                                      try ParamMath.mul(3, hv, inner, what: "vision"), what: "vision")
        var parts = [try ParamMath.times(block, layers, what: "vision"),
                     try ParamMath.mul(channels, patch, patch, hv, what: "vision"), Int64(hv)]
        if let ht = textHidden {
            parts += [Int64(hv), try ParamMath.mul(hv, merge, merge, hv, what: "projector"),
                      try ParamMath.mul(hv, ht, what: "projector"), try ParamMath.mul(ht, ht, what: "projector")]
        }
        return try ParamMath.sum(parts, what: "vision")
    }
}
