import HubScoutCore

extension ModelInspection {
    /// One loadable GGUF variant with what sizes it.
    public struct SizedGGUFVariant: Sendable, Equatable {
        /// The variant's files, main part first.
        public var variant: GGUFVariants.Variant
        /// Its quantization: the header's `general.file_type` when read, else the file name's.
        public var type: GGUFFileType
        /// Weight bytes: the header's tensor bytes for a single file, else the sum of the parts' sizes (nil when one is unknown).
        public var bytes: Int64?
    }

    /// The GGUF variants of the repository (parts of a split file grouped, projectors left out), each with its
    /// quantization and bytes; `unknown` gets the main file of each variant whose quantization nothing states.
    public func sizedGGUFVariants(unknown: inout [String]) -> [SizedGGUFVariant] {
        let byPath = Dictionary(ggufFiles.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        return GGUFVariants(paths: ggufFiles.map(\.path)).variants.compactMap { variant in
            let main = byPath[variant.mainFile]
            // The header is the authority; a name says it too (an Ollama blob, named by digest, does not).
            guard let type = main?.quantization.flatMap({ GGUFFileType(rawValue: $0.uppercased()) }) ?? variant.quantization else {
                unknown.append(variant.mainFile)
                return nil
            }
            if variant.files.count == 1 {
                return SizedGGUFVariant(variant: variant, type: type, bytes: main?.headerTensorBytes ?? main?.size)
            }
            // Each part lists only its own tensors: size a split variant from all its parts' file sizes.
            let sizes = variant.files.compactMap { byPath[$0]?.size }
            return SizedGGUFVariant(variant: variant, type: type,
                                    bytes: sizes.count == variant.files.count ? ByteTotal.saturatingSum(sizes) : nil)
        }
    }
}
