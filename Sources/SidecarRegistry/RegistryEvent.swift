import Foundation
import SidecarProtocol

/// Something the registry decided that an operator may want in the log. Passed to the `onEvent`
/// callback of `Registry.init`; `message` is one log line and never contains a credential.
public enum RegistryEvent: Sendable {
    /// An attempt of request `requestID` failed. `retryIn` is the wait before the same candidate is tried
    /// again; nil when the registry moves on to the next candidate or the request ends.
    case attemptFailed(requestID: String, Candidate, SidecarError, retryIn: Duration?)
    /// A candidate was not tried for request `requestID` because its provider's breaker is open until
    /// `retryAt`.
    case skipped(requestID: String, Candidate, retryAt: Date)
    /// A provider's breaker changed state (`closed`, `open`, `half_open`); `openFor` is set on opening.
    case breakerChanged(provider: String, state: String, openFor: Duration?)
    case healthCheckFailed(provider: String, SidecarError)
    /// The candidate's model rules removed these parameters (wire names) from request `requestID`.
    case parametersDropped(requestID: String, Candidate, [String])

    /// The request the event belongs to, for the log line's request id; nil for provider-wide events.
    public var requestID: String? {
        switch self {
        case .attemptFailed(let id, _, _, _), .skipped(let id, _, _), .parametersDropped(let id, _, _): return id
        case .breakerChanged, .healthCheckFailed: return nil
        }
    }

    /// Breaker openings and failed health checks deserve a warning; the rest is routine.
    public var isWarning: Bool {
        switch self {
        case .breakerChanged(_, let state, _): return state == "open"
        case .healthCheckFailed: return true
        case .attemptFailed, .skipped, .parametersDropped: return false
        }
    }

    /// Dropped parameters are expected for the models that need it: detail for debugging, not routine news.
    public var isDebug: Bool {
        if case .parametersDropped = self { return true }
        return false
    }

    public var message: String {
        switch self {
        case .attemptFailed(_, let candidate, let error, let retryIn):
            let next = retryIn.map { "retrying in \($0.milliseconds) ms" } ?? "not retrying"
            return "\(candidate) failed (\(error.code.rawValue): \(error.message)); \(next)"
        case .skipped(_, let candidate, let retryAt):
            return "\(candidate) skipped: circuit breaker open until \(retryAt.ISO8601Format())"
        case .breakerChanged(let provider, let state, let openFor):
            let duration = openFor.map { " for \(Int($0.seconds)) s" } ?? ""
            return "circuit breaker of \(provider) is now \(state)\(duration)"
        case .healthCheckFailed(let provider, let error):
            return "health check of \(provider) failed (\(error.code.rawValue): \(error.message))"
        case .parametersDropped(_, let candidate, let names):
            return "\(candidate): dropped \(names.joined(separator: ", ")) (model_rules)"
        }
    }
}
