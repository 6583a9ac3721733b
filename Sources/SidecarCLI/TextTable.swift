/// Fixed-width text tables for the CLI (`status`, `usage`): each column as wide as its widest cell,
/// columns separated by two spaces, one line per row. A row's last cell is padded only when right-aligned,
/// so lines do not end in padding.
enum TextTable {
    enum Alignment {
        case left, right
    }

    /// `alignments[i]` aligns column i; columns without one are left-aligned.
    static func render(_ rows: [[String]], alignments: [Alignment] = []) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                switch i < alignments.count ? alignments[i] : .left {
                case .right: return pad + cell
                case .left: return i == row.count - 1 ? cell : cell + pad
                }
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        return out
    }
}
