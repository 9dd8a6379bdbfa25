import Foundation
import HubScoutCore

/// Groups weight file names into models: the parts of a split GGUF (`name-00001-of-00003.gguf`) are one model, a
/// vision projector (`mmproj-*.gguf`) rides along with the models of its folder, and every other `.gguf` is a model
/// of its own. Used for every folder-shaped store (LM Studio, llama.cpp, `--path`, snapshots of the HF cache).
enum WeightFileGroups {
    /// One model's files, main file first.
    struct Group: Equatable {
        var weights: [String]
        var projectors: [String]
        var quantization: String? { weights.first.flatMap { GGUFFileType(fileName: ($0 as NSString).lastPathComponent)?.rawValue } }
    }

    /// The GGUF models among `names` (paths relative to one folder).
    static func gguf(_ names: [String]) -> [Group] {
        let ggufs = names.filter { $0.lowercased().hasSuffix(".gguf") }.sorted()
        let projectors = ggufs.filter { isProjector($0) }
        var groups: [String: [String]] = [:]
        var order: [String] = []
        for name in ggufs where !isProjector(name) {
            let key = splitBase(name) ?? name
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(name)
        }
        return order.map { Group(weights: groups[$0] ?? [], projectors: projectors) }
    }

    /// `name` without `-00001-of-00003.gguf`, when it is a part of a split GGUF.
    static func splitBase(_ name: String) -> String? {
        let stem = name.dropLast(5)   // ".gguf"
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
              parts[parts.count - 1].count == 5, parts[parts.count - 1].allSatisfy(\.isNumber),
              parts[parts.count - 3].count == 5, parts[parts.count - 3].allSatisfy(\.isNumber) else { return nil }
        return parts.dropLast(3).joined(separator: "-")
    }

    static func isProjector(_ name: String) -> Bool { (name as NSString).lastPathComponent.lowercased().contains("mmproj") }

    /// True for names a tool writes while a download runs (never listed, never touched).
    static func isPartial(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".downloadinprogress") || lower.hasSuffix(".tmp") || lower.hasSuffix(".incomplete")
            || lower.hasSuffix(".part") || lower.contains("-partial") || name.hasPrefix(".")
    }
}
