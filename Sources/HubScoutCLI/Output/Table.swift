/// A plain text table with aligned columns, fitted to a width when one is given.
///
/// To fit, the shrinkable columns are shortened with `…` (the widest first) down to their minimum widths; if that
/// is not enough, the droppable columns are left out one by one, in order; then the shrinkable ones go below their
/// minimums; and as a last resort each line is cut. Without a width every cell is whole.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []
    /// Columns that may be shortened, each with the narrowest it becomes before another column is left out.
    /// Empty: every left-aligned column, down to 8 characters.
    var shrinkable: [Int: Int] = [:]
    /// Columns left out, first to last, when shortening to the minimums is not enough.
    var droppable: [Int] = []

    /// Which columns are shown, how wide each is, and which were left out.
    struct Layout: Equatable {
        /// Shown columns, in order.
        var columns: [Int]
        /// Width of each shown column.
        var widths: [Int]
        /// Columns left out to fit.
        var hidden: [Int] = []
        /// The width every line is cut to when the columns could not be made to fit (nil: no cut needed).
        var cut: Int?
    }

    /// Renders to `width` (default: stdout's, when it is a terminal and `--no-truncate` is not given).
    func render(width: Int? = Terminal.tableWidth) -> String { render(layout(width: width)) }

    /// Renders with a computed layout.
    func render(_ layout: Layout) -> String {
        func line(_ cells: [String]) -> String {
            let text = zip(layout.columns, layout.widths).map { column, width in
                let cell = (column < cells.count ? cells[column] : "").truncated(to: width)
                let pad = String(repeating: " ", count: max(0, width - cell.count))
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: Self.gap).trimmingTrailingSpaces()
            return layout.cut.map { text.truncated(to: $0) } ?? text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// The columns and widths that fit `width` (nil: natural widths, nothing left out).
    func layout(width: Int?) -> Layout {
        let natural = headers.indices.map { column in
            rows.reduce(headers[column].count) { max($0, column < $1.count ? $1[column].count : 0) }
        }
        let all = Array(headers.indices)
        guard let width else { return Layout(columns: all, widths: natural) }
        let minimums = shrinkable.isEmpty
            ? Dictionary(uniqueKeysWithValues: all.filter { !rightAligned.contains($0) }.map { ($0, 8) })
            : shrinkable
        var hidden: [Int] = []
        var visible = all
        for dropped in 0...droppable.count {
            hidden = Array(droppable.prefix(dropped))
            visible = all.filter { !hidden.contains($0) }
            let floors = visible.map { column in minimums[column].map { min($0, natural[column]) } }
            if let widths = Self.shrink(visible.map { natural[$0] }, to: width, floors: floors) {
                return Layout(columns: visible, widths: widths, hidden: hidden)
            }
        }
        // Nothing left to leave out: shrinkable columns may go down to a single `…`.
        let floors = visible.map { minimums[$0] == nil ? nil : 1 }
        if let widths = Self.shrink(visible.map { natural[$0] }, to: width, floors: floors) {
            return Layout(columns: visible, widths: widths, hidden: hidden)
        }
        let narrowest = zip(visible, floors).map { column, floor in floor ?? natural[column] }
        return Layout(columns: visible, widths: narrowest, hidden: hidden, cut: width)
    }

    /// Columns are separated by two spaces.
    static let gap = "  "

    /// `widths` reduced one character at a time, each time from the shrinkable column furthest above its floor (the
    /// later one on a tie, so the first column, the id, keeps the most), until the line fits `width`; nil when the
    /// floors (nil: that column cannot shrink) do not allow it.
    static func shrink(_ widths: [Int], to width: Int, floors: [Int?]) -> [Int]? {
        var widths = widths
        var excess = widths.reduce(0, +) + gap.count * max(0, widths.count - 1) - width
        func room(_ index: Int) -> Int { floors[index].map { widths[index] - $0 } ?? 0 }
        while excess > 0 {
            let candidates = widths.indices.filter { room($0) > 0 }
            guard let next = candidates.max(by: { (room($0), $0) < (room($1), $1) }) else { return nil }
            widths[next] -= 1
            excess -= 1
        }
        return widths
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// At most `width` characters: longer text keeps its start and ends with `…`.
    func truncated(to width: Int) -> String {
        guard count > width else { return self }
        guard width > 1 else { return width == 1 ? "…" : "" }
        return String(prefix(width - 1)) + "…"
    }
}
