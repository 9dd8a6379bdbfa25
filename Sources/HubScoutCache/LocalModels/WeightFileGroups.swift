import Foundation
import HubScoutCore

/// Groups weight file names into models through `GGUFVariants`: the parts of a split GGUF are one model, a vision
/// projector rides along with the models of its folder, and every other `.gguf` is a model of its own.
/// Used for every folder-shaped store (LM Studio, llama.cpp, `--path`, snapshots of the HF cache).
enum WeightFileGroups {
    /// One model's files, main file first.
    struct Group: Equatable {
        var weights: [String]
        var projectors: [String]
        var quantization: String? { weights.first.flatMap { GGUFFileType(fileName: ($0 as NSString).lastPathComponent)?.rawValue } }
    }

    /// The GGUF models among `names` (paths relative to one folder).
    static func gguf(_ names: [String]) -> [Group] {
        let variants = GGUFVariants(paths: names)
        return variants.variants.map { Group(weights: $0.files, projectors: variants.projectors) }
    }

    /// True for names a tool writes while a download runs (never listed, never touched).
    static func isPartial(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".downloadinprogress") || lower.hasSuffix(".tmp") || lower.hasSuffix(".incomplete")
            || lower.hasSuffix(".part") || lower.contains("-partial") || name.hasPrefix(".")
    }
}
