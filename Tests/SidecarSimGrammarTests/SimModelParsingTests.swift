import SidecarSimGrammar
import Testing

/// Every name of the `sim-*` grammar (README.md, "Simulated model names") parses to the value both simulated
/// upstreams act on.
@Suite struct SimModelParsingTests {
    static let table: [(String, SimModel)] = [
        ("sim-1", SimModel()),
        ("sim-echo", SimModel()),
        ("claude-test", SimModel()),
        ("sim-fail-500", SimModel(outcome: .fail(status: 500))),
        ("sim-fail-529", SimModel(outcome: .fail(status: 529))),
        ("sim-fail-429", SimModel(outcome: .fail(status: 429))),
        ("sim-fail-401", SimModel(outcome: .fail(status: 401))),
        ("sim-fail-400", SimModel(outcome: .fail(status: 400))),
        ("sim-fail-418", SimModel(outcome: .fail(status: 418))),
        ("sim-fail-600", SimModel()),
        ("sim-fail-refused", SimModel(outcome: .connectionRefused)),
        ("sim-fail-timeout", SimModel(outcome: .timedOut)),
        ("sim-hang", SimModel(outcome: .hang)),
        ("sim-abort-3", SimModel(outcome: .abort(afterEvents: 3))),
        ("sim-abort-0", SimModel(outcome: .abort(afterEvents: 0))),
        ("sim-error-event", SimModel(outcome: .errorEvent(afterEvents: nil))),
        ("sim-error-event-4", SimModel(outcome: .errorEvent(afterEvents: 4))),
        ("sim-tools", SimModel(callsTool: true)),
        ("sim-fast", SimModel(pacingMilliseconds: 0)),
        ("sim-pace-200", SimModel(pacingMilliseconds: 200)),
        ("sim-slow", SimModel(pacingMilliseconds: 200)),
        ("sim-slow-50", SimModel(pacingMilliseconds: 50)),
        ("sim-no-usage", SimModel(usage: .none)),
        ("sim-usage-delta-only", SimModel(usage: .onlyInMessageDelta)),
        ("sim-cache", SimModel(reportsCache: true)),
        ("sim-max-tokens", SimModel(finish: .maxTokens)),
        ("sim-content-filter", SimModel(finish: .contentFilter)),
        ("sim-thinking", SimModel(unknownEvents: true)),
        ("sim-split-1", SimModel(wire: SimWireShape(split: .every(1)))),
        ("sim-split-0", SimModel()),
        ("sim-split-random", SimModel(wire: SimWireShape(split: .random))),
        ("sim-crlf", SimModel(wire: SimWireShape(lineEnding: .crlf))),
        ("sim-cr", SimModel(wire: SimWireShape(lineEnding: .cr))),
        ("sim-comments", SimModel(wire: SimWireShape(comments: true))),
        ("sim-bom", SimModel(wire: SimWireShape(byteOrderMark: true))),
        ("sim-tools+crlf+split-1", SimModel(callsTool: true, wire: SimWireShape(split: .every(1), lineEnding: .crlf))),
        ("sim-split-1+crlf", SimModel(wire: SimWireShape(split: .every(1), lineEnding: .crlf))),
        (
            "sim-tools+sim-fast+sim-fail-529",
            SimModel(outcome: .fail(status: 529), pacingMilliseconds: 0, callsTool: true)
        ),
        ("tools+hang", SimModel(outcome: .hang, callsTool: true)),
        ("sim-hang+abort-2", SimModel(outcome: .abort(afterEvents: 2))),
    ]

    @Test(arguments: table)
    func parses(name: String, expected: SimModel) {
        #expect(SimModel(parsing: name) == expected)
    }

    /// Only 429 carries a `retry-after`, of one second.
    @Test func retryAfterComesWith429Only() {
        #expect(SimOutcome.fail(status: 429).retryAfterSeconds == 1)
        #expect(SimOutcome.fail(status: 529).retryAfterSeconds == nil)
        #expect(SimOutcome.reply.retryAfterSeconds == nil)
    }

    /// `sim-tools` fills each argument from its JSON-schema type.
    @Test func toolArgumentsFollowTheSchemaType() {
        let table: [(String?, SimToolArgument)] = [
            ("string", .userText), ("integer", .one), ("number", .one), ("boolean", .yes), ("array", .emptyArray),
            ("object", .emptyObject), ("null", .null), (nil, .null),
        ]
        for (type, argument) in table { #expect(SimToolArgument(schemaType: type) == argument, "\(type ?? "nil")") }
    }
}
