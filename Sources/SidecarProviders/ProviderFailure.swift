import SidecarProtocol

/// What kind of failure an upstream had. Drives retry, failover and the circuit breaker; mapped
/// separately to the wire `ErrorCode`, because attribution and retry policy must not share an enum.
public enum FailureClass: String, Sendable, Equatable {
    /// 401/403: this provider's credentials are bad. Skip to the next candidate; counts against the breaker.
    case credential
    /// 408/409/429: retry later (honour `retryAfterMs`).
    case rateLimited
    /// 529 or an `overloaded_error` event.
    case overloaded
    /// 5xx, connection refused/reset: retry.
    case transient
    /// A time limit ran out: retry.
    case timeout
    /// 400/404/413/422: the request itself is wrong; another provider will not fix it.
    case callerFault
    /// A 400 (or an `invalid_request_error` event) naming a sampling or limit parameter this model does not
    /// take (see `UpstreamError.namesForwardedParameter`). Not retried and not counted against the breaker, as
    /// the provider is healthy; moves on to the next candidate, since another model may take the parameter.
    case parameterRejected
}

/// A failed upstream call, as a provider reports it.
public struct ProviderFailure: Error, Sendable, Equatable {
    public var failureClass: FailureClass
    /// Names the provider and upstream's own message; never a credential.
    public var message: String
    public var httpStatus: Int?
    public var retryAfterMs: Int?
    /// The tokens the upstream reported spending before the failure (an Anthropic `message_start` before an
    /// `error` event, an OpenAI error chunk carrying `usage`); nil when it reported none. The registry charges
    /// them to the attempt, so a failed try's spending still reaches the ledger and the budget.
    public var usage: Usage?

    public init(
        _ failureClass: FailureClass, _ message: String, httpStatus: Int? = nil, retryAfterMs: Int? = nil,
        usage: Usage? = nil
    ) {
        self.failureClass = failureClass
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfterMs = retryAfterMs
        self.usage = usage
    }

    /// Retried on the same candidate (with backoff) before moving on.
    public var isRetryable: Bool {
        switch failureClass {
        case .rateLimited, .overloaded, .transient, .timeout: return true
        case .credential, .callerFault, .parameterRejected: return false
        }
    }

    /// Ends the failover chain at once: a request no candidate would take.
    public var endsChain: Bool { failureClass == .callerFault }

    /// Counts against the provider's circuit breaker: not when the request, rather than the provider, is at fault.
    public var countsAgainstBreaker: Bool { failureClass != .callerFault && failureClass != .parameterRejected }

    /// The wire code a client sees when this failure ends its request.
    public var code: ErrorCode {
        switch failureClass {
        case .credential: return .upstreamError
        case .rateLimited: return .rateLimited
        case .overloaded: return .overloaded
        case .transient: return .upstreamError
        case .timeout: return .timeout
        case .callerFault, .parameterRejected: return .badRequest
        }
    }

    public var sidecarError: SidecarError {
        SidecarError(code, message, retryable: isRetryable, retryAfterMs: retryAfterMs)
    }
}
