/// The command line of `sidecar-bench`.
struct BenchOptions {
    /// Small counts for a smoke run (seconds, not minutes); the numbers are not worth reporting.
    var quick = false
    /// Print the results as one JSON object instead of a table.
    var json = false
    var scenarios: [ScenarioName] = ScenarioName.allCases

    static let usage = """
        usage: sidecar-bench [--quick] [--json] [--scenario NAME]...

        Measures the real provider-sidecar binary (found beside this one) against an in-process simulated
        upstream on 127.0.0.1. Build both in release mode first (scripts/bench.sh does it all):
            swift build -c release --product provider-sidecar
            swift build -c release --product sidecar-bench

          --quick           small counts, for a smoke run
          --json            one JSON object on stdout instead of the table
          --scenario NAME   run only NAME (repeatable): \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", "))
          --help            this text
        """

    struct UsageError: Error {
        let message: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var chosen: [ScenarioName] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "--scenario":
                guard let name = rest.popFirst() else { throw UsageError(message: "--scenario needs a name") }
                guard let scenario = ScenarioName(rawValue: name) else {
                    throw UsageError(message: "unknown scenario \(name)")
                }
                chosen.append(scenario)
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
        if !chosen.isEmpty { options.scenarios = chosen }
        return options
    }
}

/// The scenarios, in the order a full run measures them.
enum ScenarioName: String, CaseIterable {
    case startup
    case ping
    case firstChunk = "first-chunk"
    case streams
    case idle
}
