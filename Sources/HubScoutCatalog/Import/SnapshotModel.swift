import Foundation
import HubScoutCore

/// One model of a shipped snapshot (`cache/models.jsonl`), as handed to an estimator at import.
public struct SnapshotModel: Sendable, Equatable {
    /// The Hub fields of the line.
    public var info: ModelInfo
    /// Config facts from the line's `hubscout.config`, normalised; nil when it had none.
    public var config: ModelConfig?
    /// Parameter count from `hubscout.parameters` (else the API block), with its source.
    public var parameters: ParameterCount?
    /// Date of the line's downloads/likes figures (`hubscout.as_of`), when given.
    public var asOf: Date?
    /// Tasks of inference providers (not the pipeline tag), when given.
    public var inferenceProviderTasks: [String]
    /// Where each fact came from.
    public var sources: [String]

    /// Creates a snapshot model.
    public init(info: ModelInfo, config: ModelConfig? = nil, parameters: ParameterCount? = nil, asOf: Date? = nil,
                inferenceProviderTasks: [String] = [], sources: [String] = []) {
        self.info = info
        self.config = config
        self.parameters = parameters
        self.asOf = asOf
        self.inferenceProviderTasks = inferenceProviderTasks
        self.sources = sources
    }
}

/// Computes memory estimates for a snapshot model during import (pass the real estimator here).
public typealias SnapshotEstimator = @Sendable (SnapshotModel) -> [CatalogEstimate]

/// What a snapshot import did.
public struct SnapshotImportResult: Sendable, Equatable {
    /// Models imported.
    public var models: Int
    /// Models that received memory estimates.
    public var estimated: Int
    /// The date recorded as the data's sync date: the latest `as_of` in the file.
    public var snapshotDate: Date?
}
