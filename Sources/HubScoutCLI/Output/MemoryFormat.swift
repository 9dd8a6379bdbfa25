import Foundation
import HubScoutCore

/// Memory figures for tables: GiB (2^30 bytes) with two decimals, and verdict wording.
enum MemoryFormat {
    /// `16.06` (GiB, two decimals), written by `GiBText` as the verdict reasons are.
    static func gib(_ bytes: Int64) -> String { GiBText.number(bytes) }

    /// `16.06 GiB`.
    static func gibText(_ bytes: Int64) -> String { GiBText.text(bytes) }

    /// `131072` or `—`.
    static func tokens(_ count: Int?) -> String { count.map(String.init) ?? "—" }

    /// Short verdict for a table cell: `fits on GPU 0`, `partial offload 20/32 layers`, `RAM only (CPU)`, `does not fit`.
    static func verdict(_ v: FitVerdict) -> String {
        switch v.kind {
        case .fitsOnGPU:
            let gpus = v.gpuIndices.count > 1 ? "GPUs " + v.gpuIndices.map(String.init).joined(separator: "+")
                                               : "GPU \(v.gpuIndices.first ?? 0)"
            return v.estimate.expertsOnCPU ? "on \(gpus), experts in RAM" : "fits on \(gpus)"
        case .fitsWithOffload:
            if v.gpuLayers >= v.totalLayers && v.estimate.expertsOnCPU { return "on GPU, experts in RAM" }
            return "partial offload \(v.gpuLayers) of \(v.totalLayers) layers"
        case .fitsInRAM:
            return "RAM only (CPU)"
        case .doesNotFit:
            return "does not fit"
        }
    }
}
