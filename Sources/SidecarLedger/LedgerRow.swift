import Foundation
import SidecarProtocol

/// One finished request as recorded in the ledger: done, error after tokens were spent, or cancelled
/// with partial usage.
public struct LedgerRow: Sendable, Equatable {
    /// When the request happened (the server records its start). Stored as Unix milliseconds: sub-millisecond
    /// precision is dropped. Its UTC day is the budget day the row counts against after a restart.
    public var time: Date
    public var requestID: String
    public var agent: String
    /// The connecting process's credentials (`SO_PEERCRED`), when known.
    public var peerUID: UInt32?
    public var peerPID: Int32?
    /// The provider and model that served (or last tried) the request; nil when none was reached.
    public var provider: String?
    public var model: String?
    /// `ok`, or the error code the request ended with.
    public var outcome: String
    public var usage: Usage
    /// nil when the model has no price (never 0 for "unknown").
    public var costUSD: Double?
    public var ttftMs: Int?
    public var latencyMs: Int
    /// How many (provider, model) candidates were tried.
    public var attempts: Int
    /// The request's caller-defined `metadata` object.
    public var metadata: JSONValue?

    public init(
        time: Date, requestID: String, agent: String, peerUID: UInt32? = nil, peerPID: Int32? = nil,
        provider: String?, model: String?, outcome: String, usage: Usage, costUSD: Double?,
        ttftMs: Int?, latencyMs: Int, attempts: Int, metadata: JSONValue? = nil
    ) {
        self.time = time
        self.requestID = requestID
        self.agent = agent
        self.peerUID = peerUID
        self.peerPID = peerPID
        self.provider = provider
        self.model = model
        self.outcome = outcome
        self.usage = usage
        self.costUSD = costUSD
        self.ttftMs = ttftMs
        self.latencyMs = latencyMs
        self.attempts = attempts
        self.metadata = metadata
    }
}
