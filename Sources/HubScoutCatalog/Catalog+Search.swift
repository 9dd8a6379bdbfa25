import Foundation
import GRDB
import HubScoutCore

/// Offline search: every filter of the online search, answered in SQL.
extension Catalog {
    /// The largest page a search returns.
    public static let maxLimit = 10_000

    /// The page size of a search whose filter sets no limit.
    public static let defaultLimit = 20

    /// Searches the catalog for `filter` (library and license are tags, as on the Hub), keeping models
    /// whose stored estimate fits `fit`; `offset` rows are skipped. Text matches prefixes and stems of the
    /// id, author, tags and card summary (FTS5 with porter over unicode61; without FTS5, substrings):
    /// `OfflineSearch` narrows that to the Hub's id-substring rule.
    public func search(_ filter: ModelFilter, fit: FitConstraint? = nil, offset: Int = 0) async throws(CatalogError) -> [CatalogModel] {
        let query = SearchSQL.Query(filter: filter, fit: fit, offset: offset)
        let fullText = fullTextSearchAvailable
        let threshold = options.broadTextMatches
        _ = try SearchSQL(query: query, fullText: fullText, broad: false)  // validates before touching the file
        return try await reading("search the catalog") { db in
            let request = try SearchSQL(query: query, fullText: fullText, broad: SearchSQL.isBroad(db, query: query, fullText: fullText, threshold: threshold))
            guard !request.matchesNothing else { return [] }
            return try Row.fetchAll(db, sql: request.sql, arguments: request.arguments).map(ModelRow.model)
        }
    }

    /// The query plan SQLite chooses for a search (for benchmarks and index tuning).
    public func explain(_ filter: ModelFilter, fit: FitConstraint? = nil) async throws(CatalogError) -> [String] {
        let query = SearchSQL.Query(filter: filter, fit: fit, offset: 0)
        let fullText = fullTextSearchAvailable
        let threshold = options.broadTextMatches
        return try await reading("explain a search") { db in
            let request = try SearchSQL(query: query, fullText: fullText, broad: SearchSQL.isBroad(db, query: query, fullText: fullText, threshold: threshold))
            guard !request.matchesNothing else { return [] }
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + request.sql, arguments: request.arguments).map { $0["detail"] as String? ?? "" }
        }
    }
}

/// The SQL of one search.
struct SearchSQL {
    /// What one search asks.
    struct Query {
        var filter: ModelFilter
        var fit: FitConstraint?
        var offset: Int
        var text: String? { filter.text }
        var limit: Int { filter.limit ?? Catalog.defaultLimit }
    }

    var sql = ""
    var arguments = StatementArguments()
    /// True when the text has no searchable token, so nothing can match.
    var matchesNothing = false

    /// The FTS5 query for free text: every word must match; words of three or more characters match
    /// as prefixes (`instr` finds `Instruct`), shorter ones (`3`, `8b`) as whole tokens, because a
    /// one-letter prefix expands to thousands of terms and made version-number queries 10× slower.
    static func textPattern(_ text: String) -> FTS5Pattern? {
        let words = text.split { !($0.isLetter || $0.isNumber) }.prefix(32)
        guard !words.isEmpty else { return nil }
        let raw = words.map { word in "\"\(word)\"" + (word.count >= 3 ? "*" : "") }.joined(separator: " ")
        return try? FTS5Pattern(rawPattern: raw)
    }

    /// Whether the text matches at least `threshold` models (counting stops there).
    static func isBroad(_ db: Database, query: Query, fullText: Bool, threshold: Int) throws -> Bool {
        guard fullText, let text = query.text, let pattern = textPattern(text) else { return false }
        let count = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT rowid FROM models_fts WHERE models_fts MATCH ? LIMIT ?)
            """, arguments: [pattern, threshold]) ?? 0
        return count >= threshold
    }

    init(query: Query, fullText: Bool, broad: Bool) throws(CatalogError) {
        guard query.limit >= 0, query.offset >= 0 else { throw .invalidValue("limit and offset must not be negative") }
        let limit = min(query.limit, Catalog.maxLimit)
        var joins: [String] = []
        var joinArguments = StatementArguments()
        var conditions: [String] = []
        var order = ""
        var fitColumns = "NULL AS fit_precision, NULL AS fit_weights, NULL AS fit_kv, NULL AS fit_overhead, NULL AS fit_context"

        if let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            if fullText {
                guard let pattern = SearchSQL.textPattern(text) else { matchesNothing = true; return }
                if broad {
                    // A set filter lets SQLite walk a sorted index and stop after `limit` rows.
                    conditions.append("m.pk IN (SELECT rowid FROM models_fts WHERE models_fts MATCH ?)")
                    arguments += [pattern]
                } else {
                    joins.append("JOIN models_fts ON models_fts.rowid = m.pk AND models_fts MATCH ?")
                    joinArguments += [pattern]
                    order = "bm25(models_fts, 10.0, 4.0, 2.0, 1.0)"
                }
            } else {
                // Fallback: every word must appear somewhere (case-insensitive substring).
                let words = text.split(whereSeparator: { $0.isWhitespace }).prefix(16)
                for word in words {
                    let like = "%" + word.replacingOccurrences(of: "\\", with: "\\\\")
                        .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
                    conditions.append("(m.id LIKE ? ESCAPE '\\' OR m.author LIKE ? ESCAPE '\\' OR m.tags LIKE ? ESCAPE '\\' OR m.summary LIKE ? ESCAPE '\\')")
                    arguments += [like, like, like, like]
                }
            }
        }
        let filter = query.filter
        if let task = filter.task { conditions.append("m.pipeline_tag = ?"); arguments += [task] }
        if let author = filter.author { conditions.append("m.author = ?"); arguments += [author] }
        // Library and license are tags, as the Hub's `filter` treats them.
        for tag in Set(filter.requiredTags) {
            conditions.append("EXISTS (SELECT 1 FROM model_tags t WHERE t.tag = ? AND t.model_pk = m.pk)")
            arguments += [tag]
        }
        switch filter.gated {
        case true?: conditions.append("m.gated IN ('auto', 'manual')")
        case false?: conditions.append("m.gated = 'false'")
        case nil: break
        }

        if let fit = query.fit {
            // weights + kv_bytes_per_token × context + overhead ≤ budget, with the query's context or each row's default.
            let total = "e.weights_bytes + e.kv_bytes_per_token * coalesce(?, e.default_context) + e.overhead_bytes"
            if let precision = fit.precision {
                joins.append("JOIN memory_estimates e ON e.model_pk = m.pk AND e.precision = ? AND \(total) <= ?")
                joinArguments += [precision.rawValue, fit.context, fit.budgetBytes]
            } else {
                let inner = total.replacingOccurrences(of: "e.", with: "b.")
                joins.append("""
                    JOIN memory_estimates e ON e.model_pk = m.pk AND e.precision_rank = (
                        SELECT b.precision_rank FROM memory_estimates b
                        WHERE b.model_pk = m.pk AND \(inner) <= ? ORDER BY b.precision_rank LIMIT 1)
                    """)
                joinArguments += [fit.context, fit.budgetBytes]
            }
            fitColumns = "e.precision AS fit_precision, e.weights_bytes AS fit_weights, e.kv_bytes_per_token AS fit_kv, " +
                "e.overhead_bytes AS fit_overhead, coalesce(?, e.default_context) AS fit_context"
        }

        if let sort = filter.sort {
            // NULLs sort last under DESC, so unknown counts never outrank known ones.
            order = "m.\(sort.column) DESC" + (order.isEmpty ? "" : ", \(order)")
        } else if order.isEmpty {
            order = "m.downloads DESC"
        }
        order += ", m.pk"

        var selectArguments = StatementArguments()
        if let fit = query.fit { selectArguments += [fit.context] }
        sql = """
            SELECT m.*, p.total AS p_total, p.active AS p_active, p.source AS p_source, \(fitColumns)
            FROM models m
            \(joins.joined(separator: "\n"))
            LEFT JOIN model_parameters p ON p.model_pk = m.pk
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(order)
            LIMIT \(limit) OFFSET \(query.offset)
            """
        arguments = selectArguments + joinArguments + arguments
    }
}

/// Reads a `models` row (plus parameter and fit columns) into a `CatalogModel`.
enum ModelRow {
    static func model(_ row: Row) -> CatalogModel {
        var parameters: ParameterCount?
        if let total: Int64 = row["p_total"], let source = (row["p_source"] as String?).flatMap(ParameterSource.init(rawValue:)) {
            parameters = ParameterCount(total: total, active: row["p_active"], source: source)
        }
        var fit: CatalogFit?
        if let precision = (row["fit_precision"] as String?).flatMap(FitPrecision.init(rawValue:)),
           let weights: Int64 = row["fit_weights"], let kv: Int64 = row["fit_kv"], let overhead: Int64 = row["fit_overhead"],
           let context: Int = row["fit_context"] {
            let estimate = CatalogEstimate(precision: precision, weightsBytes: weights, kvBytesPerToken: kv, overheadBytes: overhead, defaultContext: context)
            let (kvBytes, overflow) = kv.multipliedReportingOverflow(by: Int64(context))
            fit = CatalogFit(precision: precision, context: context, weightsBytes: weights, kvCacheBytes: overflow ? .max : kvBytes,
                             overheadBytes: overhead, totalBytes: estimate.totalBytes(context: context) ?? .max)
        }
        return CatalogModel(
            id: row["id"], author: row["author"], pipelineTag: row["pipeline_tag"], libraryName: row["library_name"],
            license: row["license"], gated: (row["gated"] as String?).flatMap(GatedMode.init(rawValue:)),
            isPrivate: row["private"], downloads: row["downloads"], likes: row["likes"], trendingScore: row["trending"],
            createdAt: SQLValues.date(row["created_at"] as Double?), lastModified: SQLValues.date(row["last_modified"] as Double?),
            sha: row["sha"], tags: SQLValues.list(row["tags"]), summary: row["summary"], parameters: parameters, fit: fit,
            firstSeen: Date(timeIntervalSince1970: row["first_seen"]), lastSeen: Date(timeIntervalSince1970: row["last_seen"]))
    }
}

extension ModelSort {
    /// The models column it orders by.
    var column: String {
        switch self {
        case .downloads: "downloads"
        case .likes: "likes"
        case .trending: "trending"
        case .created: "created_at"
        case .updated: "last_modified"
        }
    }
}
