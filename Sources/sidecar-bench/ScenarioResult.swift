import Foundation
import SidecarProtocol

/// What one scenario measured: named values, each with its unit and, where the design sets one, the target.
struct ScenarioResult {
    struct Metric {
        let name: String
        let value: Double
        let unit: String
        /// The design target in words (`< 100 ms`); nil when the value is context, not a goal.
        let target: String?
        /// Whether the value meets the target; nil without a target.
        let met: Bool?
    }

    let name: ScenarioName
    var metrics: [Metric] = []
    /// Counts and conditions a reader needs to judge the numbers.
    var notes: [String] = []
    /// `/proc/loadavg` when the scenario started and ended: client and sidecar share the machine's cores.
    var loadBefore = MachineLoad.current()
    var loadAfter = ""

    init(_ name: ScenarioName) { self.name = name }

    mutating func add(_ name: String, _ value: Double, _ unit: String, target: String? = nil, met: Bool? = nil) {
        metrics.append(Metric(name: name, value: value, unit: unit, target: target, met: met))
    }

    /// Adds `value` with a "below `limit`" target.
    mutating func add(_ name: String, _ value: Double, _ unit: String, below limit: Double) {
        add(name, value, unit, target: "< \(Self.format(limit)) \(unit)", met: value < limit)
    }

    /// Adds p50, p99 and max of `samples` (nanoseconds) in microseconds.
    mutating func addLatencies(_ name: String, _ samples: Percentiles) {
        add("\(name) p50", samples.p50 / 1000, "µs")
        add("\(name) p99", samples.p99 / 1000, "µs")
        add("\(name) max", samples.max / 1000, "µs")
    }

    var json: JSONValue {
        [
            "name": .string(name.rawValue),
            "metrics": .array(
                metrics.map { metric in
                    [
                        "name": .string(metric.name), "value": .number((metric.value * 1000).rounded() / 1000),
                        "unit": .string(metric.unit), "target": JSONValue(metric.target),
                        "met": metric.met.map(JSONValue.bool) ?? .null,
                    ]
                }),
            "notes": .array(notes.map { .string($0) }),
            "loadavg_before": .string(loadBefore), "loadavg_after": .string(loadAfter),
        ]
    }

    /// Up to four significant digits, no exponent: 0.0123, 1.234, 12.35, 1234, 123456.
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
