import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

@Suite("Catalog bulk insert")
struct CatalogBulkInsertTests {
    /// The shipped snapshot's real models, then a later partial re-sighting of some of them (fewer
    /// fields, new downloads, a less trusted parameter count) and one id repeated in other letter case.
    static func sightings() throws -> [[SnapshotModel]] {
        let models = try SnapshotReader.read(TestCatalog.snapshotURL)
        let later = day("2026-06-01")
        var resighted: [SnapshotModel] = models.prefix(40).enumerated().map { index, model in
            var info = ModelInfo(id: model.info.id, downloads: (model.info.downloads ?? 0) + 1_000 + index)
            info.tags = index.isMultiple(of: 2) ? ["resighted", "text-generation"] : []
            return SnapshotModel(info: info, parameters: ParameterCount(total: 1_000 + Int64(index), source: .configFormula), asOf: later)
        }
        if let first = models.first {
            resighted.append(SnapshotModel(info: ModelInfo(id: first.info.id.uppercased(), likes: 12_345), asOf: later))
        }
        return [Array(models.prefix(120)), Array(models.dropFirst(100)) + resighted]
    }

    /// What the ordinary writes store, one model at a time in the same order.
    static func upsertOneByOne(_ catalog: Catalog, _ models: [SnapshotModel], seenAt: Date) async throws {
        for model in models {
            let seen = model.asOf ?? seenAt
            try await catalog.upsert(models: [model.info], seenAt: seen)
            if let count = model.parameters { try await catalog.upsertParameters(id: model.info.id, count: count, at: seen) }
            if let config = model.config { try await catalog.upsertConfig(id: model.info.id, config: config, at: seen) }
            let rows = CatalogEstimator.estimate(snapshot: model).estimates
            if !rows.isEmpty { try await catalog.upsertEstimates(id: model.info.id, estimates: rows, at: seen) }
        }
    }

    static let queries: [SearchRequest] = [
        SearchRequest(limit: 500),
        SearchRequest(task: "text-generation", sort: .downloads, limit: 20, fit: FitConstraint(budgetBytes: 16 << 30)),
        SearchRequest(task: "text-generation", sort: .likes, limit: 50, fit: FitConstraint(budgetBytes: 80 << 30, precision: .int4, context: 8192)),
        SearchRequest(text: "qwen", limit: 50),
        SearchRequest(license: "apache-2.0", sort: .downloads, limit: 50),
        SearchRequest(text: "instruct", limit: 100),
        SearchRequest(author: "meta-llama", sort: .downloads, limit: 20),
        SearchRequest(tags: ["resighted"], limit: 100),
        SearchRequest(library: "transformers", sort: .trending, limit: 100),
        SearchRequest(gated: true, sort: .created, limit: 100),
    ]

    /// The value a search sorts by, as text (nil last).
    static func sortKey(_ model: CatalogModel, _ sort: ModelSort) -> String? {
        switch sort {
        case .downloads: model.downloads.map { String($0) }
        case .likes: model.likes.map { String($0) }
        case .trending: model.trendingScore.map { String($0) }
        case .created: model.createdAt.map { String($0.timeIntervalSince1970) }
        case .updated: model.lastModified.map { String($0.timeIntervalSince1970) }
        }
    }

    @Test("bulkInsert stores exactly what the ordinary upserts store, for new and already known models")
    func sameAsUpsert() async throws {
        let sightings = try Self.sightings()
        let seenAt = day("2026-01-15")
        let ordinaryFile = try TestCatalog(), bulkFile = try TestCatalog()
        let ordinary = try ordinaryFile.open(), bulk = try bulkFile.open()
        for batch in sightings { try await Self.upsertOneByOne(ordinary, batch, seenAt: seenAt) }

        let first = try await bulk.bulkInsert(sightings[0], estimates: sightings[0].map(CatalogEstimator.snapshotEstimator), seenAt: seenAt)
        #expect(first == BulkInsertResult(inserted: 120, merged: 0))
        let second = try await bulk.withBulkLoad {
            try await bulk.bulkInsert(sightings[1], estimates: sightings[1].map(CatalogEstimator.snapshotEstimator), seenAt: seenAt)
        }
        #expect(second.merged == 20 + 41)  // the overlap with the first batch, the re-sightings and the repeated id
        #expect(second.inserted == sightings[1].count - second.merged)

        // bulkInsert writes a batch in id order, so its internal keys (the last tie-breaker of a
        // search) differ from one-by-one upserts: compare every match, and the order of the sort key.
        for var query in Self.queries {
            query.filter.limit = Catalog.maxLimit
            let expected = try await ordinary.search(query)
            let found = try await bulk.search(query)
            #expect(!expected.isEmpty, "query \(query) should match something")
            #expect(found.sorted { $0.id < $1.id } == expected.sorted { $0.id < $1.id }, "query \(query)")
            if let sort = query.filter.sort {
                #expect(found.map { Self.sortKey($0, sort) } == expected.map { Self.sortKey($0, sort) }, "query \(query)")
            }
        }
        for model in sightings.joined() {
            #expect(try await bulk.model(id: model.info.id) == ordinary.model(id: model.info.id), "\(model.info.id)")
        }
        for table in Catalog.countedTables + ["models_fts"] {
            let sql = "SELECT count(*) FROM \(table)"
            #expect(try CatalogFileTools.integer(at: bulkFile.path, sql: sql) == CatalogFileTools.integer(at: ordinaryFile.path, sql: sql), "\(table)")
        }
        let tagSQL = "SELECT count(*) FROM model_tags JOIN models ON pk = model_pk WHERE tag = 'resighted'"
        #expect(try CatalogFileTools.integer(at: bulkFile.path, sql: tagSQL) == CatalogFileTools.integer(at: ordinaryFile.path, sql: tagSQL))
    }

    @Test("bulkInsert refuses estimate lists that do not match the models one to one")
    func mismatchedEstimates() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let models = [SnapshotModel(info: ModelInfo(id: "a/one")), SnapshotModel(info: ModelInfo(id: "a/two"))]
        await #expect(throws: CatalogError.self) { try await catalog.bulkInsert(models, estimates: [[]]) }
        #expect(try await catalog.isEmpty)
    }
}

@Suite("Catalog bulk load internals")
struct CatalogBulkLoadInternalsTests {
    @Test("Batches are written in the id index's own order: SQLite's NOCASE, equal ids kept in order")
    func idOrderMatchesSQLite() throws {
        let ids = ["b/x", "A/y", "a/Y", "a/b", "Z/z", "a/y", "_/q", "a-b/c", "a.b/c", "ab/c", "é/x", "e/x", "B/X"]
        let order = SQLValues.orderedByID(ids)
        #expect(order.count == ids.count && Set(order) == Set(ids.indices))
        // SQLite decides the reference order over the same strings, ties broken by position.
        let temp = try TestCatalog()
        try CatalogFileTools.execute(at: temp.path, sql: "CREATE TABLE t (id TEXT COLLATE NOCASE, position INTEGER)")
        for (position, id) in ids.enumerated() {
            try CatalogFileTools.execute(at: temp.path, sql: "INSERT INTO t VALUES (?, ?)", arguments: [id, position])
        }
        var expected: [Int] = []
        for rank in 0..<ids.count {
            expected.append(try #require(try CatalogFileTools.integer(at: temp.path, sql: "SELECT position FROM t ORDER BY id, position LIMIT 1 OFFSET \(rank)")))
        }
        #expect(order == expected)
        // Equal ids ("A/y", "a/Y", "a/y") keep their input order.
        #expect(order.filter { ids[$0].lowercased() == "a/y" } == [1, 2, 5])
    }

    @Test("A bulk load refills the full-text index slice by slice and leaves no WAL behind")
    func slicedFullTextRefill() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open(Catalog.Options(bulkFullTextSlice: 7))
        try await catalog.upsert(models: [ModelInfo(id: "old/before-load", tags: ["sliceword"])])
        let models = (0..<50).map { (n: Int) in SnapshotModel(info: ModelInfo(id: "slice/model-\(n)", downloads: n, tags: ["sliceword", "n\(n)"])) }
        try await catalog.withBulkLoad {
            for batch in stride(from: 0, to: models.count, by: 20) {
                try await catalog.bulkInsert(Array(models[batch..<min(batch + 20, models.count)]))
            }
        }
        // Every row is found again, across slice boundaries (7 rows each), old rows included.
        #expect(try await catalog.search(SearchRequest(text: "sliceword", limit: 100)).count == 51)
        for n in [0, 6, 7, 13, 14, 49] {
            #expect(try await catalog.search(SearchRequest(text: "n\(n)")).map(\.id) == ["slice/model-\(n)"])
        }
        // The background checkpointer and the closing checkpoint folded the WAL into the file.
        let wal = try? FileManager.default.attributesOfItem(atPath: temp.path + "-wal")[.size] as? Int
        #expect((wal ?? 0) == 0)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM models_fts") == 51)
        try CatalogFileTools.execute(at: temp.path, sql: "INSERT INTO models_fts(models_fts) VALUES ('integrity-check')")
        #expect(try await catalog.syncState(key: "internal:bulk-load") == nil)
        // Later row-by-row writes still reach the full-text index (triggers restored).
        try await catalog.upsert(models: [ModelInfo(id: "after/load", tags: ["laterword"])])
        #expect(try await catalog.search(SearchRequest(text: "laterword")).map(\.id) == ["after/load"])
    }
}
