/// The search indexes and full-text triggers of `models`, defined once, in code.
///
/// A bulk load drops them and rebuilds them afterwards, also after a crash on the next open. The
/// rebuild runs these definitions only: SQL text read back from the database file is never executed,
/// so a crafted `catalog.sqlite` cannot run statements of its choosing.
enum SearchIndexSchema {
    /// The v2 indexes for the common searches: name and column list.
    static let indexes: [(name: String, columns: String)] = [
        ("models_by_task_downloads", "pipeline_tag, downloads DESC"),
        ("models_by_task_likes", "pipeline_tag, likes DESC"),
        ("models_by_task_trending", "pipeline_tag, trending DESC"),
        ("models_by_author_downloads", "author, downloads DESC"),
        ("models_by_license_downloads", "license, downloads DESC"),
        ("models_by_downloads", "downloads DESC"),
        ("models_by_likes", "likes DESC"),
        ("models_by_trending", "trending DESC"),
        ("models_by_created", "created_at DESC"),
        ("models_by_modified", "last_modified DESC"),
    ]

    /// `CREATE INDEX [IF NOT EXISTS] name ON models(columns)`.
    static func createIndexSQL(name: String, columns: String, ifNotExists: Bool) -> String {
        "CREATE INDEX \(ifNotExists ? "IF NOT EXISTS " : "")\(name) ON models(\(columns))"
    }

    /// Names of the triggers that keep `models_fts` in step with `models`.
    static let triggerNames = ["__models_fts_ai", "__models_fts_ad", "__models_fts_au"]

    /// The three full-text triggers: insert and delete as GRDB defines them, and an update trigger
    /// narrowed to the indexed columns and to real changes (a sync that refreshes downloads does
    /// not rewrite the full-text index).
    static func createTriggersSQL(ifNotExists: Bool) -> [String] {
        let guardText = ifNotExists ? "IF NOT EXISTS " : ""
        let columns = "rowid, id, author, tags, summary"
        return [
            """
            CREATE TRIGGER \(guardText)"__models_fts_ai" AFTER INSERT ON models BEGIN
                INSERT INTO models_fts(\(columns)) VALUES (new.pk, new.id, new.author, new.tags, new.summary);
            END
            """,
            """
            CREATE TRIGGER \(guardText)"__models_fts_ad" AFTER DELETE ON models BEGIN
                INSERT INTO models_fts(models_fts, \(columns)) VALUES ('delete', old.pk, old.id, old.author, old.tags, old.summary);
            END
            """,
            """
            CREATE TRIGGER \(guardText)"__models_fts_au" AFTER UPDATE OF id, author, tags, summary ON models
            WHEN old.id IS NOT new.id OR old.author IS NOT new.author OR old.tags IS NOT new.tags OR old.summary IS NOT new.summary
            BEGIN
                INSERT INTO models_fts(models_fts, \(columns)) VALUES ('delete', old.pk, old.id, old.author, old.tags, old.summary);
                INSERT INTO models_fts(\(columns)) VALUES (new.pk, new.id, new.author, new.tags, new.summary);
            END
            """,
        ]
    }
}
