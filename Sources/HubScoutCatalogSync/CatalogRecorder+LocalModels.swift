import Foundation
import HubScoutCatalog

extension CatalogRecorder {
    /// A cross-tool scan (`ls --all`, `dedupe`): replaces every local model recorded before, in one transaction, so
    /// `search --local` answers with what is on disk now. A failure keeps the previous scan and comes back as a warning.
    @discardableResult
    public func record(localModels rows: [LocalModelRow], scannedRoots roots: [String], at date: Date = Date()) async -> [String] {
        do {
            try await catalog.replaceLocalModels(rows, scannedRoots: roots, at: date)
            return []
        } catch {
            let text = "warning: could not record \(rows.count) local models in the catalog: \(error)"
            onWarning(text)
            return [text]
        }
    }
}
