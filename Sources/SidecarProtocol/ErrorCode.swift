/// The protocol's error codes: the `error.code` field of an `error` frame. The raw values are the wire
/// strings in proto-spec/PROTOCOL.md; a test checks this set against the spec.
public enum ErrorCode: String, CaseIterable, Codable, Sendable {
    case badRequest = "bad_request"
    case unknownType = "unknown_type"
    case frameTooLarge = "frame_too_large"
    case duplicateID = "duplicate_id"
    case unknownModel = "unknown_model"
    case forbidden
    case budgetExceeded = "budget_exceeded"
    case rateLimited = "rate_limited"
    case overloaded
    case upstreamError = "upstream_error"
    case upstreamInterrupted = "upstream_interrupted"
    case timeout
    case cancelled
    case noProviderAvailable = "no_provider_available"
    case shuttingDown = "shutting_down"
    /// The token ledger cannot record usage (disk full, file deleted or replaced, write failure): nothing is
    /// sent upstream that could not be recorded. Retryable once the operator has fixed the ledger.
    case ledgerUnavailable = "ledger_unavailable"
    case `internal`

    /// Whether a client may expect the same request to succeed if sent again later.
    public var isRetryableByDefault: Bool {
        switch self {
        case .rateLimited, .overloaded, .upstreamError, .timeout, .noProviderAvailable, .shuttingDown,
            .upstreamInterrupted, .ledgerUnavailable:
            return true
        case .badRequest, .unknownType, .frameTooLarge, .duplicateID, .unknownModel, .forbidden,
            .budgetExceeded, .cancelled, .internal:
            return false
        }
    }
}
