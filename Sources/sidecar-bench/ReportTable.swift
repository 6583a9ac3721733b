/// The human-readable output: a header naming the build and machine, then one block per scenario with a
/// metric per row, its target, and whether it was met.
struct ReportTable {
    let build: String
    let quick: Bool

    private static let widths = [44, 10, 10, 12]

    var header: String {
        var text = "sidecar-bench: \(build) build, \(MachineLoad.cores) cores, binary \(SidecarUnderTest.binaryPath)\n"
        if build != "release" { text += "note: not a release build; do not publish these numbers\n" }
        if quick { text += "note: --quick (small counts); do not publish these numbers\n" }
        return text + "\n" + row(["metric", "value", "unit", "target"]) + " ok\n"
            + row(Self.widths.map { String(repeating: "-", count: $0) }) + " --\n"
    }

    func render(_ result: ScenarioResult) -> String {
        var text = "[\(result.name.rawValue)]  loadavg \(result.loadBefore) -> \(result.loadAfter)\n"
        for metric in result.metrics {
            let mark = metric.met.map { $0 ? "yes" : "NO" } ?? ""
            text += row([metric.name, ScenarioResult.format(metric.value), metric.unit, metric.target ?? ""])
            text += " \(mark)\n"
        }
        for note in result.notes { text += "  - \(note)\n" }
        return text + "\n"
    }

    private func row(_ cells: [String]) -> String {
        zip(cells, Self.widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 1 ? padding + cell : cell + padding
        }.joined(separator: " ")
    }
}
