/// What a `sim-*` model name asks of a simulated upstream: the one grammar both simulated upstreams read.
///
/// The in-process `simulated` provider (SidecarProviders) and the HTTP simulator (SidecarSimulator) parse a
/// model name with `SimModel(parsing:)` and map this value onto what each can do. The names, what they mean
/// and where the two sides differ are in one table: README.md, "Simulated model names".
public struct SimModel: Sendable, Equatable {
    /// How the answer ends (or fails, or never comes).
    public var outcome: SimOutcome
    /// Milliseconds between streamed events; nil leaves the upstream's default pacing.
    public var pacingMilliseconds: Int?
    /// `sim-tools`: the answer calls a tool (see `SimToolCall`).
    public var callsTool: Bool
    /// How token usage is reported.
    public var usage: SimUsageReporting
    /// `sim-cache`: reports `cacheReadTokens` and `cacheWriteTokens`.
    public var reportsCache: Bool
    /// The finish reason the answer ends with; nil: tool use when it calls a tool, else end of turn.
    public var finish: SimFinish?
    /// `sim-thinking`: adds reasoning (forwarded as thinking) and an unknown event a forward-compatible
    /// client must skip (HTTP only).
    public var unknownEvents: Bool
    /// How the HTTP simulator lays out its bytes; the in-process provider has no wire and ignores it.
    public var wire: SimWireShape

    public init(
        outcome: SimOutcome = .reply, pacingMilliseconds: Int? = nil, callsTool: Bool = false,
        usage: SimUsageReporting = .standard, reportsCache: Bool = false, finish: SimFinish? = nil,
        unknownEvents: Bool = false, wire: SimWireShape = SimWireShape()
    ) {
        self.outcome = outcome
        self.pacingMilliseconds = pacingMilliseconds
        self.callsTool = callsTool
        self.usage = usage
        self.reportsCache = reportsCache
        self.finish = finish
        self.unknownEvents = unknownEvents
        self.wire = wire
    }

    /// Cache tokens `sim-cache` reports as read.
    public static let cacheReadTokens = 1200
    /// Cache tokens `sim-cache` reports as written.
    public static let cacheWriteTokens = 300
    /// Pacing of `sim-slow` without a number.
    public static let slowPacingMilliseconds = 200
}

/// How a simulated answer ends.
public enum SimOutcome: Sendable, Equatable {
    /// A successful answer.
    case reply
    /// `sim-fail-NNN`: the upstream answers HTTP status NNN (100-599) before any content.
    case fail(status: Int)
    /// `sim-fail-refused`: the connection is refused.
    case connectionRefused
    /// `sim-fail-timeout`: the upstream never sends a first byte, so the caller's time limit runs out.
    case timedOut
    /// `sim-hang`: nothing is ever sent; the caller has to give up.
    case hang
    /// `sim-abort-N`: the connection breaks after N events of the answer.
    case abort(afterEvents: Int)
    /// `sim-error-event[-N]`: an `overloaded_error` inside the stream after N events; nil: before any content.
    case errorEvent(afterEvents: Int?)

    /// The `retry-after` the failing upstream sends, in seconds: 1 with status 429, else none.
    public var retryAfterSeconds: Int? {
        if case .fail(429) = self { 1 } else { nil }
    }
}

/// How a simulated answer reports token usage.
public enum SimUsageReporting: Sendable, Equatable {
    /// As the vendor does.
    case standard
    /// `sim-no-usage`: never (OpenAI-compatible servers that ignore `include_usage`).
    case none
    /// `sim-usage-delta-only`: Anthropic-compatible backends that report zeros in `message_start` and
    /// everything in `message_delta`.
    case onlyInMessageDelta
}

/// A finish reason a model name can force.
public enum SimFinish: Sendable, Equatable {
    /// `sim-max-tokens`.
    case maxTokens
    /// `sim-content-filter`.
    case contentFilter
}
