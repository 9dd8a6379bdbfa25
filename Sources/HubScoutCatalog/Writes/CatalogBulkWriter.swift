import Foundation
import GRDB
import HubScoutCore

/// The fast write path of bulk ingest and snapshot import. A model whose id the catalog does not hold
/// yet is written with plain inserts and no reads (its merged values are computed here, once); a
/// model already present goes through `CatalogWriter`'s upserts, so the merge rules stay in one place.
///
/// Statements are bound through `RawStatement` (SQLite's C API): with GRDB's boxed arguments the
/// binding cost more than the inserts. The tag rows of new models are held back and written at the
/// end of the batch, one statement per tag: `model_tags` is ordered by (tag, model), so row-by-row
/// inserts landed all over the tree, while per-tag runs of ascending keys append.
final class CatalogBulkWriter {
    /// Inserts the listing row only when the id is new; the change count then says which case applies.
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

    /// OR REPLACE as `CatalogWriter.upsertEstimates`: of two rows for one precision, the later wins.
    private static let insertEstimateSQL = """
        INSERT OR REPLACE INTO memory_estimates
            (model_pk, precision, precision_rank, weights_bytes, kv_bytes_per_token, overhead_bytes, default_context)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    private let db: Database
    private let insertModel: RawStatement
    private let insertTags: RawStatement
    private let insertParameters: RawStatement
    private let insertConfig: RawStatement
    private let insertEstimate: RawStatement
    /// Tag rows of new models not written yet, by tag, keys ascending.
    private var pendingTags: [String: [Int64]] = [:]

    /// Prepares the statements on `db`, which must stay inside one write transaction while this writer is used.
    init(_ db: Database) throws {
        self.db = db
        insertModel = try RawStatement(db, sql: Self.insertNewModelSQL)
        insertTags = try RawStatement(db, sql: Self.insertTagsSQL)
        insertParameters = try RawStatement(db, sql: Self.insertParametersSQL)
        insertConfig = try RawStatement(db, sql: Self.insertConfigSQL)
        insertEstimate = try RawStatement(db, sql: Self.insertEstimateSQL)
    }

    /// Writes the held tag rows; call before the transaction ends and before any ordinary upsert
    /// (which updates `model_tags` from the stored list and must find them).
    func flush() throws {
        guard !pendingTags.isEmpty else { return }
        for (tag, keys) in pendingTags.sorted(by: { $0.key < $1.key }) {
            var list = "["
            list.reserveCapacity(keys.count * 8)
            for (index, key) in keys.enumerated() {
                if index > 0 { list += "," }
                list += String(key)
            }
            list += "]"
            insertTags.bind(1, tag)
            insertTags.bind(2, list)
            try insertTags.run()
        }
        pendingTags.removeAll(keepingCapacity: true)
    }

    /// Writes one model with its parameter count, config and estimates; returns true when it was new.
    /// The stored result equals `CatalogWriter.upsertModel` followed by `upsertParameters`,
    /// `upsertConfig` and `upsertEstimates` at the same date, once `flush` has run.
    @discardableResult
    func write(_ model: SnapshotModel, estimates: [CatalogEstimate], seenAt: Date) throws -> Bool {
        for e in estimates where e.weightsBytes < 0 || e.kvBytesPerToken < 0 || e.overheadBytes < 0 || e.defaultContext < 0 {
            throw CatalogError.invalidValue("the \(e.precision.rawValue) memory estimate has a negative size")
        }
        let info = model.info
        let (id, namespace) = try SQLValues.validated(info.id)
        let tagsJSON = SQLValues.jsonList(info.tags)
        let seen = seenAt.timeIntervalSince1970
        let m = insertModel
        m.bind(1, id)
        m.bind(2, info.author ?? namespace)
        m.bind(3, info.pipelineTag)
        m.bind(4, info.libraryName)
        m.bind(5, info.license)
        m.bind(6, info.gated?.rawValue)
        m.bind(7, info.isPrivate)
        m.bind(8, info.downloads)
        m.bind(9, info.likes)
        m.bind(10, info.trendingScore)
        m.bind(11, SQLValues.date(info.createdAt))
        m.bind(12, SQLValues.date(info.lastModified))
        m.bind(13, info.sha)
        m.bind(14, tagsJSON)
        m.bind(15, seen)
        m.bind(16, seen)
        try m.run()
        guard m.changes == 1 else {
            // Known id: merge with what is stored, exactly as the ordinary writes do.
            try flush()
            let pk = try CatalogWriter.upsertModel(db, info, seenAt: seenAt)
            if let parameters = model.parameters { try CatalogWriter.upsertParameters(db, pk: pk, parameters, at: seenAt) }
            if let config = model.config { try CatalogWriter.upsertConfig(db, pk: pk, config, at: seenAt) }
            if !estimates.isEmpty { try CatalogWriter.upsertEstimates(db, pk: pk, estimates) }
            return false
        }
        let pk = m.lastInsertedRowID
        if tagsJSON != nil {
            for tag in info.tags where !tag.isEmpty { pendingTags[tag, default: []].append(pk) }
        }
        if let count = Self.mergedParameters(api: info.apiParameterCount, snapshot: model.parameters) {
            let p = insertParameters
            p.bind(1, pk)
            p.bind(2, count.total)
            p.bind(3, count.active)
            p.bind(4, count.source.rawValue)
            p.bind(5, seen)
            try p.run()
        }
        if model.config != nil || info.architecture != nil || info.modelType != nil {
            let config = model.config
            let c = insertConfig
            c.bind(1, pk)
            c.bind(2, config?.architecture ?? info.architecture)
            c.bind(3, config?.modelType ?? info.modelType)
            c.bind(4, config?.contextLength)
            c.bind(5, config?.numLayers)
            c.bind(6, config?.hiddenSize)
            c.bind(7, config?.numAttentionHeads)
            c.bind(8, config?.numKeyValueHeads)
            c.bind(9, config?.headDim)
            c.bind(10, config?.vocabSize)
            c.bind(11, config?.dtype)
            c.bind(12, config?.numExperts)
            c.bind(13, config?.numExpertsPerToken)
            c.bind(14, SQLValues.json(config))
            c.bind(15, seen)
            try c.run()
        }
        let e = insertEstimate
        for row in estimates {
            e.bind(1, pk)
            e.bind(2, row.precision.rawValue)
            e.bind(3, row.precision.rank)
            e.bind(4, row.weightsBytes)
            e.bind(5, row.kvBytesPerToken)
            e.bind(6, row.overheadBytes)
            e.bind(7, row.defaultContext)
            try e.run()
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
