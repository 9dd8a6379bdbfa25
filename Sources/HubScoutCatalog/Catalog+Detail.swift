import Foundation
import GRDB
import HubScoutCore

/// Reading one model and whole-catalog statistics.
extension Catalog {
    /// Everything known about a model (id matched case-insensitively), or nil.
    public func model(id: String) async throws(CatalogError) -> CatalogModelDetail? {
        try await reading("read \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT m.*, p.total AS p_total, p.active AS p_active, p.source AS p_source
                FROM models m LEFT JOIN model_parameters p ON p.model_pk = m.pk WHERE m.id = ?
                """, arguments: [id]) else { return nil }
            let pk: Int64 = row["pk"]
            let model = ModelRow.model(row)
            let card = try Row.fetchOne(db, sql: "SELECT * FROM model_cards WHERE model_pk = ?", arguments: [pk]).map { c in
                CardFacts(summary: model.summary, license: c["license"], baseModels: SQLValues.list(c["base_models"]),
                          datasets: SQLValues.list(c["datasets"]), languages: SQLValues.list(c["languages"]),
                          evalResults: SQLValues.decode(JSONValue.self, c["eval_results"]))
            } ?? model.summary.map { CardFacts(summary: $0) }
            let config = try Row.fetchOne(db, sql: "SELECT * FROM model_configs WHERE model_pk = ?", arguments: [pk]).map { c in
                var config = SQLValues.decode(ModelConfig.self, c["config_json"]) ?? ModelConfig()
                // Columns may be richer than the stored JSON (a later summary filled a gap).
                config.architecture = config.architecture ?? c["architecture"]
                config.modelType = config.modelType ?? c["model_type"]
                config.contextLength = config.contextLength ?? c["context_length"]
                config.numLayers = config.numLayers ?? c["num_layers"]
                config.hiddenSize = config.hiddenSize ?? c["hidden_size"]
                config.numAttentionHeads = config.numAttentionHeads ?? c["num_heads"]
                config.numKeyValueHeads = config.numKeyValueHeads ?? c["num_kv_heads"]
                config.headDim = config.headDim ?? c["head_dim"]
                config.vocabSize = config.vocabSize ?? c["vocab_size"]
                config.dtype = config.dtype ?? c["dtype"]
                config.numExperts = config.numExperts ?? c["num_experts"]
                config.numExpertsPerToken = config.numExpertsPerToken ?? c["experts_per_token"]
                return config
            }
            let files = try Row.fetchAll(db, sql: "SELECT * FROM model_files WHERE model_pk = ? ORDER BY revision, path", arguments: [pk]).map {
                CatalogFile(revision: $0["revision"], path: $0["path"], size: $0["size"], sha256: $0["sha256"],
                            format: $0["format"], quantization: $0["quantization"])
            }
            let estimates = try Row.fetchAll(db, sql: "SELECT * FROM memory_estimates WHERE model_pk = ? ORDER BY precision_rank", arguments: [pk])
                .compactMap { r -> CatalogEstimate? in
                    guard let precision = FitPrecision(rawValue: r["precision"]) else { return nil }
                    return CatalogEstimate(precision: precision, weightsBytes: r["weights_bytes"], kvBytesPerToken: r["kv_bytes_per_token"],
                                           overheadBytes: r["overhead_bytes"], defaultContext: r["default_context"])
                }
            let snapshots = try Row.fetchAll(db, sql: "SELECT * FROM local_snapshots WHERE model_pk = ? ORDER BY recorded_at DESC", arguments: [pk]).map {
                LocalSnapshot(revision: $0["revision"], commit: $0["commit_sha"], path: $0["path"], sizeOnDisk: $0["size_on_disk"],
                              verifiedAt: SQLValues.date($0["verified_at"] as Double?))
            }
            return CatalogModelDetail(model: model, card: card, config: config, files: files, estimates: estimates, snapshots: snapshots)
        }
    }

    /// Counts by task, library and license; files; local snapshots and their size; last sync.
    public func stats() async throws(CatalogError) -> CatalogStats {
        try await reading("compute catalog statistics") { db in
            func counts(_ column: String) throws -> [CatalogStats.Count] {
                try Row.fetchAll(db, sql: """
                    SELECT coalesce(\(column), '(unknown)') AS name, count(*) AS n FROM models GROUP BY 1 ORDER BY n DESC, name
                    """).map { CatalogStats.Count(name: $0["name"], count: $0["n"]) }
            }
            let snapshots = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(size_on_disk), 0) AS bytes FROM local_snapshots")
            return CatalogStats(
                models: try Int.fetchOne(db, sql: "SELECT count(*) FROM models") ?? 0,
                byTask: try counts("pipeline_tag"), byLibrary: try counts("library_name"), byLicense: try counts("license"),
                files: try Int.fetchOne(db, sql: "SELECT count(*) FROM model_files") ?? 0,
                localSnapshots: snapshots?["n"] ?? 0, localSnapshotBytes: snapshots?["bytes"] ?? 0,
                lastSync: try Double.fetchOne(db, sql: "SELECT max(updated_at) FROM sync_state WHERE key NOT LIKE 'internal:%'").map(Date.init(timeIntervalSince1970:)))
        }
    }
}
