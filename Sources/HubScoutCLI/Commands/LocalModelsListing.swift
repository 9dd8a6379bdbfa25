import Foundation
import HubScoutCache
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

/// `ls --all`: every local model across tools, with the facts its own headers give, its fit on this machine and its
/// duplicate group.
struct LocalModelsListing {
    let paths: [String]
    let cache: CacheDirectoryOptions
    let json: Bool

    /// Scans every tool's store and finds the duplicates (digests remembered in the catalog when it opens).
    static func scan(paths: [String], cache: CacheDirectoryOptions) async throws -> (LocalInventory, DuplicateReport) {
        let environment = HubEnvironment()
        let locations = LocalModelLocations.standard(environment: ProcessInfo.processInfo.environment, huggingFaceCache: cache.root(in: environment),
                                                     paths: paths.map { ($0 as NSString).expandingTildeInPath })
        let inventory = try await BlockingWork.run { LocalModelScanner(locations: locations).scan() }
        let memo: any ContentHashMemo = await CatalogHashMemo.open(environment: environment) ?? InMemoryHashMemo()
        let duplicates = try await DuplicateFinder(memo: memo).find(in: inventory)
        return (inventory, duplicates)
    }

    /// Each model of the scan with the facts its own headers give (parameters, context) and its fit on this machine.
    static func rows(_ inventory: LocalInventory, duplicates: DuplicateReport) async throws -> [LocalModelJSON] {
        let hardware = await ThisMachine.hardware()
        let hub = try HubScout(environment: HubEnvironment())
        var rows: [LocalModelJSON] = []
        for model in inventory.models {
            var row = LocalModelJSON(model, duplicates: duplicates)
            if let inspection = try? await LocalModelInspector().inspect(model) {
                row.parameters = inspection.parameters?.total
                row.contextLength = inspection.config?.contextLength
                if let fit = try? await hub.fit(inspection, on: .host(hardware.hostMemory)) {
                    // A model that could not be sized is unknown (`fits: null`), not "no".
                    var sized = true
                    if case .skipped = fit.outcome { sized = false }
                    row.fit = LocalModelJSON.Fit(fits: sized ? fit.fits : nil, format: fit.format?.description, totalBytes: fit.totalBytes, reason: fit.reason)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Records the scan in the catalog (replacing the previous one) so `search --local` can answer offline. Never fails
    /// the command: a catalog problem is one note on stderr (`HUBSCOUT_NO_CATALOG=1` turns it off).
    static func record(_ rows: [LocalModelJSON], of inventory: LocalInventory, at date: Date = Date()) async {
        let roots = inventory.locations.map(\.path)
        await CatalogHook.record(environment: HubEnvironment()) { recorder in
            await recorder.record(localModels: rows.map { $0.catalogRow(scannedAt: date) }, scannedRoots: roots, at: date)
        }
    }

    /// The table `ls --all` prints (TOOL MODEL FORMAT QUANT SIZE PARAMS FIT, and DUP when `duplicates`); `search --local` shares it.
    static func table(_ rows: [LocalModelJSON], duplicates: Bool) -> String {
        var table = Table(headers: ["TOOL", "MODEL", "FORMAT", "QUANT", "SIZE", "PARAMS", "FIT"] + (duplicates ? ["DUP"] : []), rightAligned: [4, 5])
        for row in rows {
            table.rows.append([row.tool, row.name, row.format, row.quantization ?? "—", ByteCount.format(row.sizeBytes),
                               Format.parameters(row.parameters), row.fitCell] + (duplicates ? [row.duplicateGroup.map { "#\($0)" } ?? ""] : []))
        }
        return table.render()
    }

    func run() async throws {
        let (inventory, duplicates) = try await Self.scan(paths: paths, cache: cache)
        for problem in inventory.problems { Terminal.note("warning: \(problem.tool.rawValue): \(problem.path): \(problem.problem)") }
        let rows = try await Self.rows(inventory, duplicates: duplicates)
        await Self.record(rows, of: inventory)
        if json {
            Terminal.print(try Format.json(rows))
            return
        }
        guard !rows.isEmpty else {
            let looked = inventory.locations.map { "\($0.tool.rawValue) \($0.path)\($0.exists ? "" : " (absent)")" }.joined(separator: ", ")
            Terminal.note("no models found; looked in \(looked)")
            return
        }
        Terminal.print(Self.table(rows, duplicates: true))
        let total = ByteTotal.saturatingSum(duplicates.groups.map(\.wastedBytes))
        Terminal.note("\(Plural.count(rows.count, "model")) in \(Set(rows.map(\.tool)).count) tools; \(Plural.count(duplicates.groups.count, "set")) of identical files"
                      + (total > 0 ? ", \(ByteCount.format(total)) held more than once (hubscout dedupe --dry-run)" : ""))
    }
}

/// One row of `ls --all --json`.
struct LocalModelJSON: Encodable {
    /// A `LocalTool` raw value (huggingface, ollama, lmstudio, llamacpp, path).
    var tool: String
    var name: String
    var path: String
    var repo: String?
    var revision: String?
    /// A `LocalModel.Format` raw value (gguf, safetensors).
    var format: String
    var quantization: String?
    var sizeBytes: Int64
    var sha256: String?
    var duplicateGroup: Int?
    var parameters: Int64?
    var contextLength: Int?
    var fit: Fit?

    struct Fit: Encodable {
        /// nil when the model could not be sized (`reason` says why).
        var fits: Bool?
        var format: String?
        var totalBytes: Int64?
        var reason: String?

        /// Every key present, `null` when unknown.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(fits, forKey: .fits); try c.encode(format, forKey: .format)
            try c.encode(totalBytes, forKey: .totalBytes); try c.encode(reason, forKey: .reason)
        }

        enum Keys: String, CodingKey { case fits, format, totalBytes, reason }
    }

    init(_ model: LocalModel, duplicates: DuplicateReport) {
        tool = model.tool.rawValue; name = model.name; path = model.path; repo = model.repo; revision = model.revision
        format = model.format.rawValue; quantization = model.quantization; sizeBytes = model.sizeBytes
        let main = model.mainFile
        let group = main.flatMap { file in duplicates.groups.first { $0.copies.contains { $0.device == file.device && $0.inode == file.inode } } }
        sha256 = group?.sha256 ?? main?.statedSHA256
        duplicateGroup = main.flatMap { duplicates.group(of: $0.identity) }
    }

    /// A row recorded by an earlier scan (`search --local`).
    init(_ row: LocalModelRow) {
        tool = row.tool; name = row.name; path = row.path; repo = row.repo; revision = row.revision
        format = row.format; quantization = row.quantization; sizeBytes = row.sizeBytes; sha256 = row.sha256
        duplicateGroup = row.duplicateGroup; parameters = row.parameters; contextLength = row.contextLength
        fit = row.fit.map { Fit(fits: $0.fits, format: $0.format, totalBytes: $0.totalBytes, reason: $0.reason) }
    }

    /// The catalog's record of this row.
    func catalogRow(scannedAt date: Date) -> LocalModelRow {
        LocalModelRow(tool: tool, name: name, path: path, repo: repo, revision: revision, format: format, quantization: quantization,
                      sizeBytes: sizeBytes, sha256: sha256, duplicateGroup: duplicateGroup, parameters: parameters, contextLength: contextLength,
                      fit: fit.map { LocalModelRow.Fit(fits: $0.fits, format: $0.format, totalBytes: $0.totalBytes, reason: $0.reason) },
                      scannedAt: date)
    }

    /// The FIT cell: the format that fits and its total, `no`, or `—` when unknown.
    var fitCell: String {
        switch fit?.fits {
        case true?: "\(fit?.format ?? "yes") \(fit?.totalBytes.map(ByteCount.format) ?? "")"
        case false?: "no"
        case nil: "—"
        }
    }

    /// Keys always present, `null` when unknown.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(tool, forKey: .tool); try c.encode(name, forKey: .name); try c.encode(path, forKey: .path)
        try c.encode(repo, forKey: .repo); try c.encode(revision, forKey: .revision); try c.encode(format, forKey: .format)
        try c.encode(quantization, forKey: .quantization); try c.encode(sizeBytes, forKey: .sizeBytes); try c.encode(sha256, forKey: .sha256)
        try c.encode(duplicateGroup, forKey: .duplicateGroup); try c.encode(parameters, forKey: .parameters)
        try c.encode(contextLength, forKey: .contextLength); try c.encode(fit, forKey: .fit)
    }

    enum Keys: String, CodingKey { case tool, name, path, repo, revision, format, quantization, sizeBytes, sha256, duplicateGroup, parameters, contextLength, fit }
}
