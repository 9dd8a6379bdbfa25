import Foundation
import GRDB
import HubScoutCore

/// Writes. Each call is one transaction: a failure leaves nothing of it behind.
extension Catalog {
    /// Upserts models seen in a listing or info call. Idempotent; a field a listing lacks (nil, or
    /// empty tags) keeps the known value, and data older than what is stored only fills gaps.
    /// Also records the API's parameter count (`hubAPI`) and config summary when present.
    public func upsert(models: [ModelInfo], seenAt: Date = Date()) async throws(CatalogError) {
        guard !models.isEmpty else { return }
        try await writing("store \(models.count) models") { db in
            for info in models { try CatalogWriter.upsertModel(db, info, seenAt: seenAt) }
        }
    }

    /// Stores card facts for several models.
    public func upsertCards(_ cards: [String: CardFacts], at date: Date = Date()) async throws(CatalogError) {
        try await writing("store model cards") { db in
            for (id, card) in cards { try CatalogWriter.upsertCard(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), card, at: date) }
        }
    }

    /// Stores the card facts of one model.
    public func upsertCard(id: String, card: CardFacts, at date: Date = Date()) async throws(CatalogError) {
        try await upsertCards([id: card], at: date)
    }

    /// Stores normalised configs for several models; values a config lacks keep known ones.
    public func upsertConfigs(_ configs: [String: ModelConfig], at date: Date = Date()) async throws(CatalogError) {
        try await writing("store model configs") { db in
            for (id, config) in configs { try CatalogWriter.upsertConfig(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), config, at: date) }
        }
    }

    /// Stores the normalised config of one model.
    public func upsertConfig(id: String, config: ModelConfig, at date: Date = Date()) async throws(CatalogError) {
        try await upsertConfigs([id: config], at: date)
    }

    /// Stores parameter counts; a count never replaces one from a more trusted source.
    public func upsertParameters(_ counts: [String: ParameterCount], at date: Date = Date()) async throws(CatalogError) {
        try await writing("store parameter counts") { db in
            for (id, count) in counts { try CatalogWriter.upsertParameters(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), count, at: date) }
        }
    }

    /// Stores the parameter count of one model.
    public func upsertParameters(id: String, count: ParameterCount, at date: Date = Date()) async throws(CatalogError) {
        try await upsertParameters([id: count], at: date)
    }

    /// Upserts files of one model (from info `siblings`, a tree listing, header reads or a download).
    public func upsertFiles(id: String, files: [CatalogFile], at date: Date = Date()) async throws(CatalogError) {
        try await writing("store files of \(id)") { db in
            try CatalogWriter.upsertFiles(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), files)
        }
    }

    /// Stores memory estimates (computed by the caller's estimator) for several models.
    public func upsertEstimates(_ estimates: [String: [CatalogEstimate]], at date: Date = Date()) async throws(CatalogError) {
        try await writing("store memory estimates") { db in
            for (id, rows) in estimates { try CatalogWriter.upsertEstimates(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), rows) }
        }
    }

    /// Stores memory estimates of one model.
    public func upsertEstimates(id: String, estimates: [CatalogEstimate], at date: Date = Date()) async throws(CatalogError) {
        try await upsertEstimates([id: estimates], at: date)
    }

    /// Records a snapshot present on this machine.
    public func recordSnapshot(id: String, snapshot: LocalSnapshot, at date: Date = Date()) async throws(CatalogError) {
        try await writing("record the local snapshot of \(id)") { db in
            try CatalogWriter.recordSnapshot(db, pk: CatalogWriter.modelKey(db, id: id, seenAt: date), snapshot, at: date)
        }
    }

    /// Forgets local snapshots of a model (all, or one commit) after they were deleted from disk.
    public func removeSnapshots(id: String, commit: String? = nil) async throws(CatalogError) {
        try await writing("forget local snapshots of \(id)") { db in
            try db.execute(sql: """
                DELETE FROM local_snapshots WHERE model_pk = (SELECT pk FROM models WHERE id = ?) AND (? IS NULL OR commit_sha = ?)
                """, arguments: [id, commit, commit])
        }
    }

    /// Records sync progress: a resumable cursor (nil when finished) and when it happened.
    public func setSyncState(key: String, cursor: String?, at date: Date = Date()) async throws(CatalogError) {
        try await writing("record sync state") { db in try CatalogWriter.setSyncState(db, key: key, cursor: cursor, at: date) }
    }

    /// The stored cursor and date of a sync key, if any.
    public func syncState(key: String) async throws(CatalogError) -> SyncState? {
        try await reading("read sync state") { db in
            try Row.fetchOne(db, sql: "SELECT cursor, updated_at FROM sync_state WHERE key = ?", arguments: [key]).map {
                SyncState(key: key, cursor: $0["cursor"], updatedAt: Date(timeIntervalSince1970: $0["updated_at"]))
            }
        }
    }

    /// The latest sync or snapshot-import date; nil for a catalog never filled.
    public var lastSyncDate: Date? {
        get async throws(CatalogError) {
            try await reading("read the last sync date") { db in
                try Double.fetchOne(db, sql: "SELECT max(updated_at) FROM sync_state WHERE key NOT LIKE 'internal:%'").map(Date.init(timeIntervalSince1970:))
            }
        }
    }

    /// True when the catalog holds no model.
    public var isEmpty: Bool {
        get async throws(CatalogError) {
            try await reading("count models") { db in try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM models)") ?? false) }
        }
    }
}

/// Progress of one sync (e.g. `sync:task=text-generation`).
public struct SyncState: Sendable, Equatable {
    /// The sync's key.
    public var key: String
    /// Where to resume; nil when the last run finished.
    public var cursor: String?
    /// When the state was written.
    public var updatedAt: Date
}
