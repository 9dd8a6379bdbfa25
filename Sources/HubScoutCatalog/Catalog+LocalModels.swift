import Foundation
import GRDB

extension Catalog {
    /// Replaces every recorded local model by `rows`, the result of one scan over `roots`, in one transaction: a scan is
    /// the truth for what is on disk now, so models gone since the last scan disappear, and a write that fails leaves the
    /// previous scan whole. Recording an empty scan is meaningful too ("looked, found nothing").
    public func replaceLocalModels(_ rows: [LocalModelRow], scannedRoots roots: [String], at date: Date = Date()) async throws(CatalogError) {
        let rootsJSON = String(decoding: (try? JSONEncoder().encode(roots)) ?? Data("[]".utf8), as: UTF8.self)
        try await writing("record \(rows.count) local models") { db in
            try db.execute(sql: "DELETE FROM local_models")
            let insert = try db.makeStatement(sql: """
                INSERT INTO local_models (tool, name, path, repo, revision, format, quantization, size_bytes, sha256, duplicate_group,
                                          parameters, context_length, fits, fit_format, fit_total_bytes, fit_reason, scanned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                let values: [(any DatabaseValueConvertible)?] = [
                    row.tool, row.name, row.path, row.repo, row.revision, row.format, row.quantization, row.sizeBytes, row.sha256,
                    row.duplicateGroup, row.parameters, row.contextLength, row.fit?.fits, row.fit?.format, row.fit?.totalBytes,
                    row.fit?.reason, row.scannedAt.timeIntervalSince1970,
                ]
                try insert.execute(arguments: StatementArguments(values))
            }
            try db.execute(sql: "INSERT OR REPLACE INTO local_scan (id, scanned_at, roots, model_count) VALUES (1, ?, ?, ?)",
                           arguments: [date.timeIntervalSince1970, rootsJSON, rows.count])
        }
    }

    /// The last recorded scan; nil when nothing was ever scanned (an empty scan is not nil).
    public func lastLocalScan() async throws(CatalogError) -> LocalModelScan? {
        try await reading("read the last local scan") { db in
            try Row.fetchOne(db, sql: "SELECT scanned_at, roots, model_count FROM local_scan WHERE id = 1").map { row in
                let rootsText: String = row["roots"]
                let roots = (try? JSONDecoder().decode([String].self, from: Data(rootsText.utf8))) ?? []
                return LocalModelScan(scannedAt: Date(timeIntervalSince1970: row["scanned_at"]), roots: roots, modelCount: row["model_count"])
            }
        }
    }

    /// The recorded local models that match `filter`, by tool then name. Text is split into words, each of which must be a
    /// case-insensitive substring of the name or the repository.
    public func localModels(matching filter: LocalModelFilter = LocalModelFilter()) async throws(CatalogError) -> [LocalModelRow] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func like(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        }
        if let text = filter.text {
            for word in text.split(whereSeparator: { $0.isWhitespace }).prefix(16) {
                let pattern = "%" + like(String(word)) + "%"
                conditions.append("(name LIKE ? ESCAPE '\\' OR repo LIKE ? ESCAPE '\\')")
                arguments += [pattern, pattern]
            }
        }
        if let author = filter.author {
            conditions.append("repo LIKE ? ESCAPE '\\'")
            arguments.append(like(author) + "/%")
        }
        if let format = filter.format { conditions.append("format = ? COLLATE NOCASE"); arguments.append(format) }
        if let tool = filter.tool { conditions.append("tool = ? COLLATE NOCASE"); arguments.append(tool) }
        let sql = """
            SELECT tool, name, path, repo, revision, format, quantization, size_bytes, sha256, duplicate_group, parameters,
                   context_length, fits, fit_format, fit_total_bytes, fit_reason, scanned_at
            FROM local_models\(conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            ORDER BY pk
            """
        let bound = StatementArguments(arguments)
        return try await reading("search the local models") { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map(Catalog.localModelRow)
        }
    }

    /// A `local_models` row; the fit is nil when none of its columns was recorded.
    static func localModelRow(_ row: Row) -> LocalModelRow {
        let fits: Bool? = row["fits"]
        let fitFormat: String? = row["fit_format"]
        let fitTotal: Int64? = row["fit_total_bytes"]
        let fitReason: String? = row["fit_reason"]
        let fit = (fits == nil && fitFormat == nil && fitTotal == nil && fitReason == nil)
            ? nil : LocalModelRow.Fit(fits: fits, format: fitFormat, totalBytes: fitTotal, reason: fitReason)
        return LocalModelRow(tool: row["tool"], name: row["name"], path: row["path"], repo: row["repo"], revision: row["revision"],
                             format: row["format"], quantization: row["quantization"], sizeBytes: row["size_bytes"], sha256: row["sha256"],
                             duplicateGroup: row["duplicate_group"], parameters: row["parameters"], contextLength: row["context_length"],
                             fit: fit, scannedAt: Date(timeIntervalSince1970: row["scanned_at"]))
    }
}
