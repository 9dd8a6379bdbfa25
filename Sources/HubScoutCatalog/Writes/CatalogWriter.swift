import Foundation
import GRDB
import HubScoutCore

/// The statements behind every write, run inside a caller's transaction so batches and
/// snapshot imports commit (or roll back) as one.
enum CatalogWriter {
    /// The update rule "null never overwrites, and older data never replaces newer":
    /// a newer sighting wins where it has a value; an older one only fills gaps.
    private static func merge(_ column: String) -> String {
        "\(column) = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.\(column), \(column)) ELSE coalesce(\(column), excluded.\(column)) END"
    }

    private static let modelColumns = ["author", "pipeline_tag", "library_name", "license", "gated", "private", "downloads",
                                       "likes", "trending", "created_at", "last_modified", "sha", "tags"]

    private static let upsertModelSQL = """
        INSERT INTO models (id, author, pipeline_tag, library_name, license, gated, private, downloads, likes, trending,
                            created_at, last_modified, sha, tags, first_seen, last_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            id = CASE WHEN excluded.last_seen >= last_seen THEN excluded.id ELSE id END,
            \(modelColumns.map(merge).joined(separator: ",\n    ")),
            first_seen = min(first_seen, excluded.first_seen),
            last_seen = max(last_seen, excluded.last_seen)
        RETURNING pk, tags
        """

    /// Upserts one model from a Hub listing or info; returns its key.
    @discardableResult
    static func upsertModel(_ db: Database, _ info: ModelInfo, seenAt: Date) throws -> Int64 {
        let (id, namespace) = try SQLValues.validated(info.id)
        let tagsJSON = SQLValues.jsonList(info.tags)
        let seen = seenAt.timeIntervalSince1970
        // The tags stored before, so model_tags changes only by the difference (re-syncs write nothing).
        let before = try Row.fetchOne(db.cachedStatement(sql: "SELECT tags FROM models WHERE id = ?"), arguments: [id])
        let oldTags: String? = before?["tags"]
        let arguments: StatementArguments = [
            id, info.author ?? namespace, info.pipelineTag, info.libraryName, info.license, info.gated?.rawValue,
            info.isPrivate, info.downloads, info.likes, info.trendingScore, SQLValues.date(info.createdAt),
            SQLValues.date(info.lastModified), info.sha, tagsJSON, seen, seen,
        ]
        guard let row = try Row.fetchOne(db.cachedStatement(sql: upsertModelSQL), arguments: arguments) else {
            throw CatalogError.database(operation: "store \(id)", reason: "the upsert returned no row")
        }
        let pk: Int64 = row["pk"]
        let newTags: String? = row["tags"]
        if newTags != oldTags {
            // The stored list is this listing's own when they match; decoding is needed only otherwise.
            let stored = newTags == tagsJSON ? info.tags : SQLValues.list(newTags)
            try replaceTags(db, pk: pk, old: oldTags == nil ? [] : SQLValues.list(oldTags), new: stored)
        }
        if let total = info.apiParameterCount {
            try upsertParameters(db, pk: pk, ParameterCount(total: total, source: .hubAPI), at: seenAt)
        }
        if info.architecture != nil || info.modelType != nil {
            try upsertConfigColumns(db, pk: pk, architecture: info.architecture, modelType: info.modelType, at: seenAt)
        }
        return pk
    }

    /// Applies the difference between two tag lists in at most two statements (JSON1's json_each
    /// expands a list, so a model costs two statements, not one per tag).
    private static func replaceTags(_ db: Database, pk: Int64, old: [String], new: [String]) throws {
        let oldSet = Set(old), newSet = Set(new.filter { !$0.isEmpty })
        let removed = Array(oldSet.subtracting(newSet)), added = Array(newSet.subtracting(oldSet))
        if let json = SQLValues.jsonList(removed) {
            try db.cachedStatement(sql: "DELETE FROM model_tags WHERE model_pk = ? AND tag IN (SELECT value FROM json_each(?))")
                .execute(arguments: [pk, json])
        }
        if let json = SQLValues.jsonList(added) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO model_tags(tag, model_pk) SELECT value, ? FROM json_each(?)")
                .execute(arguments: [pk, json])
        }
    }

    /// The key of `id`, creating a bare row (id and author) when the model is new.
    static func modelKey(_ db: Database, id: String, seenAt: Date) throws -> Int64 {
        let (canonical, namespace) = try SQLValues.validated(id)
        if let pk = try Int64.fetchOne(db.cachedStatement(sql: "SELECT pk FROM models WHERE id = ?"), arguments: [canonical]) {
            return pk
        }
        let seen = seenAt.timeIntervalSince1970
        try db.cachedStatement(sql: "INSERT INTO models (id, author, first_seen, last_seen) VALUES (?, ?, ?, ?)")
            .execute(arguments: [canonical, namespace, seen, seen])
        return db.lastInsertedRowID
    }

    /// Keeps a count unless the new one comes from an equally or more trusted source.
    static func upsertParameters(_ db: Database, pk: Int64, _ count: ParameterCount, at date: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO model_parameters (model_pk, total, active, source, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(model_pk) DO UPDATE SET
                total = excluded.total,
                active = CASE WHEN excluded.source = source THEN coalesce(excluded.active, active) ELSE excluded.active END,
                source = excluded.source,
                updated_at = excluded.updated_at
            WHERE \(SQLValues.sourceRankSQL("excluded.source")) <= \(SQLValues.sourceRankSQL("source"))
            """).execute(arguments: [pk, count.total, count.active, count.source.rawValue, date.timeIntervalSince1970])
    }

    private static let configColumns = ["architecture", "model_type", "context_length", "num_layers", "hidden_size",
                                        "num_heads", "num_kv_heads", "head_dim", "vocab_size", "dtype", "num_experts",
                                        "experts_per_token", "config_json"]

    /// Stores a normalised config; values it lacks keep what was known.
    static func upsertConfig(_ db: Database, pk: Int64, _ config: ModelConfig, at date: Date) throws {
        try writeConfig(db, values: [
            pk, config.architecture, config.modelType, config.contextLength, config.numLayers, config.hiddenSize,
            config.numAttentionHeads, config.numKeyValueHeads, config.headDim, config.vocabSize, config.dtype,
            config.numExperts, config.numExpertsPerToken, SQLValues.json(config), date.timeIntervalSince1970,
        ])
    }

    /// Stores only what the API's config summary gives.
    static func upsertConfigColumns(_ db: Database, pk: Int64, architecture: String?, modelType: String?, at date: Date) throws {
        var values: [(any DatabaseValueConvertible)?] = [pk, architecture, modelType]
        values += Array(repeating: nil, count: configColumns.count - 2)
        values.append(date.timeIntervalSince1970)
        try writeConfig(db, values: values)
    }

    private static let writeConfigSQL = """
        INSERT INTO model_configs (model_pk, \(configColumns.joined(separator: ", ")), updated_at)
        VALUES (\(Array(repeating: "?", count: configColumns.count + 2).joined(separator: ", ")))
        ON CONFLICT(model_pk) DO UPDATE SET
            \(configColumns.map { "\($0) = coalesce(excluded.\($0), \($0))" }.joined(separator: ",\n    ")),
            updated_at = excluded.updated_at
        """

    private static func writeConfig(_ db: Database, values: [(any DatabaseValueConvertible)?]) throws {
        try db.cachedStatement(sql: writeConfigSQL).execute(arguments: StatementArguments(values))
    }

    /// Stores card facts; the summary goes to `models` (it is full-text indexed there).
    static func upsertCard(_ db: Database, pk: Int64, _ card: CardFacts, at date: Date) throws {
        if let summary = card.summary, !summary.isEmpty {
            try db.cachedStatement(sql: "UPDATE models SET summary = ? WHERE pk = ? AND summary IS NOT ?")
                .execute(arguments: [summary, pk, summary])
        }
        if let license = card.license {
            try db.cachedStatement(sql: "UPDATE models SET license = ? WHERE pk = ? AND license IS NULL")
                .execute(arguments: [license, pk])
        }
        try db.cachedStatement(sql: """
            INSERT INTO model_cards (model_pk, license, base_models, datasets, languages, eval_results, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(model_pk) DO UPDATE SET
                license = coalesce(excluded.license, license),
                base_models = coalesce(excluded.base_models, base_models),
                datasets = coalesce(excluded.datasets, datasets),
                languages = coalesce(excluded.languages, languages),
                eval_results = coalesce(excluded.eval_results, eval_results),
                updated_at = excluded.updated_at
            """).execute(arguments: [
                pk, card.license, SQLValues.jsonList(card.baseModels), SQLValues.jsonList(card.datasets),
                SQLValues.jsonList(card.languages), SQLValues.json(card.evalResults), date.timeIntervalSince1970,
            ])
    }

    /// Upserts file rows; unknown sizes/hashes keep known ones.
    static func upsertFiles(_ db: Database, pk: Int64, _ files: [CatalogFile]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO model_files (model_pk, revision, path, size, sha256, format, quantization) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(model_pk, revision, path) DO UPDATE SET
                size = coalesce(excluded.size, size),
                sha256 = coalesce(excluded.sha256, sha256),
                format = coalesce(excluded.format, format),
                quantization = coalesce(excluded.quantization, quantization)
            """)
        for file in files {
            try statement.execute(arguments: [pk, file.revision, file.path, file.size, file.sha256?.lowercased(), file.format, file.quantization])
        }
    }

    /// Replaces the estimates of the given precisions (one statement per three rows).
    static func upsertEstimates(_ db: Database, pk: Int64, _ estimates: [CatalogEstimate]) throws {
        for e in estimates where e.weightsBytes < 0 || e.kvBytesPerToken < 0 || e.overheadBytes < 0 || e.defaultContext < 0 {
            throw CatalogError.invalidValue("the \(e.precision.rawValue) memory estimate has a negative size")
        }
        var start = 0
        while start < estimates.count {
            let chunk = estimates[start..<min(start + 3, estimates.count)]
            var values: [(any DatabaseValueConvertible)?] = []
            for e in chunk {
                values += [pk, e.precision.rawValue, e.precision.rank, e.weightsBytes, e.kvBytesPerToken, e.overheadBytes, e.defaultContext]
            }
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO memory_estimates
                    (model_pk, precision, precision_rank, weights_bytes, kv_bytes_per_token, overhead_bytes, default_context)
                VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", "))
                """).execute(arguments: StatementArguments(values))
            start += 3
        }
    }

    /// Records (or refreshes) a local snapshot.
    static func recordSnapshot(_ db: Database, pk: Int64, _ snapshot: LocalSnapshot, at date: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO local_snapshots (model_pk, revision, commit_sha, path, size_on_disk, verified_at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(model_pk, commit_sha, path) DO UPDATE SET
                revision = excluded.revision,
                size_on_disk = excluded.size_on_disk,
                verified_at = coalesce(excluded.verified_at, verified_at),
                recorded_at = excluded.recorded_at
            """).execute(arguments: [pk, snapshot.revision, snapshot.commit, snapshot.path, snapshot.sizeOnDisk,
                                     SQLValues.date(snapshot.verifiedAt), date.timeIntervalSince1970])
    }

    /// Sets a sync cursor/timestamp.
    static func setSyncState(_ db: Database, key: String, cursor: String?, at date: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sync_state (key, cursor, updated_at) VALUES (?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
            """).execute(arguments: [key, cursor, date.timeIntervalSince1970])
    }
}
