/// The API's `safetensors` block: element counts per dtype, computed by the Hub from the headers.
/// It counts stored elements, buffers and packed integers included (hub-protocol §8.9).
public struct SafetensorsSummary: Sendable, Codable, Equatable, Hashable {
    /// Element counts keyed by safetensors dtype (`BF16`, `F32`, `I32`…).
    public var parameters: [String: Int64]
    /// Sum of all elements.
    public var total: Int64

    public init(parameters: [String: Int64], total: Int64) {
        self.parameters = parameters
        self.total = total
    }
}

/// The API's `gguf` block, present for GGUF repositories.
public struct GGUFSummary: Sendable, Codable, Equatable, Hashable {
    public var total: Int64?
    public var architecture: String?
    public var contextLength: Int?

    enum CodingKeys: String, CodingKey { case total, architecture, contextLength = "context_length" }
}
