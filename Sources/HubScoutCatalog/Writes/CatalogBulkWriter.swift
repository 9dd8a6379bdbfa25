import Foundation
import GRDB
import HubScoutCore

/// The fast write path of bulk ingest and snapshot import. A model whose id the catalog does not hold
/// yet is written with plain inserts and no reads (its merged values are computed here, once); a
/// model already present goes through `CatalogWriter`'s upserts, so the merge rules stay in one place.
///
/// The tag rows of new models are held in a `PendingRows` and written at the end of the batch, one
/// statement per tag: `model_tags` is ordered by (tag, model), so row-by-row inserts landed all over
/// the tree, while per-tag runs of ascending keys append (tags were half the cost of bulk ingest).
enum CatalogBulkWriter {
    /// Inserts the listing row only when the id is new; `changesCount` then says which case applies.
    private static let insertNewModelSQL = """
        INSERT INTO models (id, author, pipeline_tag, library_name, license, gated, private, downloads, likes, trending,
                            created_at, last_modified, sha, tags, first_seen, last_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO NOTHING
        """

    private static let insertTagsSQL = "INSERT OR IGNORE INTO model_tags(tag, model_pk) SELECT ?, value FROM json_each(?)"

    private static let insertParametersSQL = "INSERT INTO model_parameters (model_pk, total, active, source, updated_at) VALUES (?, ?, ?, ?, ?)"

    private static let insertConfigSQL = """
        INSERT INTO model_configs (model_pk, architecture, model_type, context_length, num_layers, hidden_size, num_heads,
                                   num_kv_heads, head_dim, vocab_size, dtype, num_experts, experts_per_token, config_json, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// One statement per chunk size (1 to 3 rows), built once rather than per model; OR REPLACE as
    /// `CatalogWriter.upsertEstimates`: of two rows for one precision, the later wins.
    private static let insertEstimatesSQL: [String] = (0...3).map { count in
        """
        INSERT OR REPLACE INTO memory_estimates
            (model_pk, precision, precision_rank, weights_bytes, kv_bytes_per_token, overhead_bytes, default_context)
        VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: max(count, 1)).joined(separator: ", "))
        """
    }

    /// Tag rows of new models not written yet, by tag, keys ascending.
    struct PendingRows {
        fileprivate var byTag: [String: [Int64]] = [:]

        /// Creates an empty buffer.
        init() {}
    }

    /// Writes the held tag rows; call before the transaction ends and before any ordinary upsert
    /// (which updates `model_tags` from the stored list and must find them).
    static func flush(_ db: Database, _ pending: inout PendingRows) throws {
        if !pending.byTag.isEmpty {
            let statement = try db.cachedStatement(sql: insertTagsSQL)
            for (tag, keys) in pending.byTag.sorted(by: { $0.key < $1.key }) {
                var list = "["
                list.reserveCapacity(keys.count * 8)
                for (index, key) in keys.enumerated() {
                    if index > 0 { list += "," }
                    list += String(key)
                }
                list += "]"
                try statement.execute(arguments: [tag, list])
            }
        }
        pending.byTag.removeAll(keepingCapacity: true)
    }

    /// Writes one model with its parameter count, config and estimates; returns true when it was new.
    /// The stored result equals `CatalogWriter.upsertModel` followed by `upsertParameters`,
    /// `upsertConfig` and `upsertEstimates` at the same date, once `flush` has run.
    @discardableResult
    static func write(_ db: Database, _ model: SnapshotModel, estimates: [CatalogEstimate], seenAt: Date,
                      pending: inout PendingRows) throws -> Bool {
        for e in estimates where e.weightsBytes < 0 || e.kvBytesPerToken < 0 || e.overheadBytes < 0 || e.defaultContext < 0 {
            throw CatalogError.invalidValue("the \(e.precision.rawValue) memory estimate has a negative size")
        }
        let info = model.info
        let (id, namespace) = try SQLValues.validated(info.id)
        let tagsJSON = SQLValues.jsonList(info.tags)
        let seen = seenAt.timeIntervalSince1970
        try db.cachedStatement(sql: insertNewModelSQL).execute(arguments: [
            id, info.author ?? namespace, info.pipelineTag, info.libraryName, info.license, info.gated?.rawValue,
            info.isPrivate, info.downloads, info.likes, info.trendingScore, SQLValues.date(info.createdAt),
            SQLValues.date(info.lastModified), info.sha, tagsJSON, seen, seen,
        ])
        guard db.changesCount == 1 else {
            // Known id: merge with what is stored, exactly as the ordinary writes do.
            try flush(db, &pending)
            let pk = try CatalogWriter.upsertModel(db, info, seenAt: seenAt)
            if let parameters = model.parameters { try CatalogWriter.upsertParameters(db, pk: pk, parameters, at: seenAt) }
            if let config = model.config { try CatalogWriter.upsertConfig(db, pk: pk, config, at: seenAt) }
            if !estimates.isEmpty { try CatalogWriter.upsertEstimates(db, pk: pk, estimates) }
            return false
        }
        let pk = db.lastInsertedRowID
        if tagsJSON != nil {
            for tag in info.tags where !tag.isEmpty { pending.byTag[tag, default: []].append(pk) }
        }
        if let count = mergedParameters(api: info.apiParameterCount, snapshot: model.parameters) {
            try db.cachedStatement(sql: insertParametersSQL).execute(arguments: [pk, count.total, count.active, count.source.rawValue, seen])
        }
        if let config = model.config {
            try db.cachedStatement(sql: insertConfigSQL).execute(arguments: [
                pk, config.architecture ?? info.architecture, config.modelType ?? info.modelType, config.contextLength,
                config.numLayers, config.hiddenSize, config.numAttentionHeads, config.numKeyValueHeads, config.headDim,
                config.vocabSize, config.dtype, config.numExperts, config.numExpertsPerToken, SQLValues.json(config), seen,
            ])
        } else if info.architecture != nil || info.modelType != nil {
            try db.cachedStatement(sql: insertConfigSQL).execute(arguments: [
                pk, info.architecture, info.modelType, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, seen,
            ])
        }
        var start = 0
        while start < estimates.count {
            let chunk = estimates[start..<min(start + 3, estimates.count)]
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(chunk.count * 7)
            for e in chunk {
                values += [pk, e.precision.rawValue, e.precision.rank, e.weightsBytes, e.kvBytesPerToken, e.overheadBytes, e.defaultContext]
            }
            try db.cachedStatement(sql: insertEstimatesSQL[chunk.count]).execute(arguments: StatementArguments(values))
            start += 3
        }
        return true
    }

    /// The count the two ordinary writes leave behind: the API's (`hubAPI`) first, then the snapshot's,
    /// which replaces it only from an equally or more trusted source (`CatalogWriter.upsertParameters`).
    static func mergedParameters(api: Int64?, snapshot: ParameterCount?) -> ParameterCount? {
        guard let api else { return snapshot }
        let first = ParameterCount(total: api, source: .hubAPI)
        guard let snapshot, rank(snapshot.source) <= rank(first.source) else { return first }
        var merged = snapshot
        if snapshot.source == first.source { merged.active = snapshot.active ?? first.active }
        return merged
    }

    /// Trust rank of a source, as `SQLValues.sourceRankSQL` (lower is more trusted).
    static func rank(_ source: ParameterSource) -> Int {
        switch source.rawValue {
        case "tensorHeaders": 0
        case "hubAPI": 1
        default: 2
        }
    }
}
