import Foundation
import HubScoutCore

/// The table `search` and `catalog search` print, online or offline, with or without a FIT column.
///
/// On a narrow terminal the id keeps the most room: MODEL and TASK are shortened with `…` (down to 28 and 10
/// characters), then UPDATED, LIKES, TASK, DOWNLOADS and GATED are left out in that order; PARAMS and FIT stay.
struct SearchTable {
    private(set) var table: Table

    init(withFit: Bool) {
        var headers = ["MODEL", "TASK", "PARAMS", "DOWNLOADS", "LIKES", "GATED", "UPDATED"]
        if withFit { headers.insert("FIT", at: 3) }
        func column(_ name: String) -> Int { headers.firstIndex(of: name)! }
        table = Table(headers: headers)
        table.rightAligned = Set(["PARAMS", "FIT", "DOWNLOADS", "LIKES"].filter(headers.contains).map(column))
        table.shrinkable = [column("MODEL"): 28, column("TASK"): 10]
        table.droppable = ["UPDATED", "LIKES", "TASK", "DOWNLOADS", "GATED"].map(column)
        self.withFit = withFit
    }

    private let withFit: Bool

    /// Adds a row; `fit` is the FIT cell (ignored without the column).
    mutating func append(id: String, task: String?, parameters: Int64?, fit: String?, downloads: Int?, likes: Int?,
                         gated: GatedMode?, updated: Date?) {
        var cells = [id, task ?? "—", Format.parameters(parameters), Format.count(downloads), Format.count(likes),
                     Format.gated(gated), Format.day(updated)]
        if withFit { cells.insert(fit ?? "?", at: 3) }
        table.rows.append(cells)
    }

    /// Prints the table on stdout, fitted to the terminal (see `Terminal.print(_:)`).
    func print() { Terminal.print(table) }
}
