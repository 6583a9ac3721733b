import Foundation
import SidecarHTTP
import SidecarProtocol

/// Maps whatever went wrong talking to one upstream to a `ProviderFailure` with the right class.
///
/// Messages start with `<kind> provider "<name>"` and carry upstream's own message and error type; every
/// piece of text the upstream chose goes through `text` (`UpstreamText`) first, which removes the key and
/// any piece of it (some servers echo it back in authentication errors).
struct UpstreamError: Sendable {
    let provider: String
    let kind: String
    let text: UpstreamText

    init(provider: String, kind: String, secret: Secret?) {
        self.provider = provider
        self.kind = kind
        self.text = UpstreamText(key: secret?.exposedValue)
    }

    var prefix: String { "\(kind) provider \"\(provider)\"" }

    /// A non-2xx response, classified by its status (`failureClass(status:)`), or overloaded whatever the status
    /// when the body's error type is `overloaded_error`.
    func http(status: Int, body: [UInt8], retryAfterMs: Int?) -> ProviderFailure {
        http(status: status, detail: Self.detail(of: body), retryAfterMs: retryAfterMs)
    }

    /// A non-2xx response whose body was not read: `why` says so instead of upstream's message.
    func http(status: Int, unreadBody why: String, retryAfterMs: Int?) -> ProviderFailure {
        http(status: status, detail: Detail(type: nil, message: why, param: nil), retryAfterMs: retryAfterMs)
    }

    /// A 400 naming a forwarded parameter (in its message or OpenAI's `param`) is `parameterRejected`.
    private func http(status: Int, detail: Detail, retryAfterMs: Int?) -> ProviderFailure {
        let message = text.message(detail.message)
        let failureClass = Self.refine(
            detail.type == "overloaded_error" ? .overloaded : Self.failureClass(status: status), is400: status == 400,
            message: message, param: detail.param.map(text.message))
        let typePart = detail.type.map { "\(text.name($0)): " } ?? ""
        return ProviderFailure(
            failureClass, "\(prefix): HTTP \(status): \(typePart)\(message)", httpStatus: status,
            retryAfterMs: retryAfterMs)
    }

    /// The class of an HTTP status: 401/403 -> credential; 408/409/429 -> rate limited; 529 -> overloaded; any
    /// other 4xx -> caller fault; 5xx and anything else -> transient.
    static func failureClass(status: Int) -> FailureClass {
        switch status {
        case 401, 403: return .credential
        case 408, 409, 429: return .rateLimited
        case 529: return .overloaded
        case 400..<500: return .callerFault
        default: return .transient
        }
    }

    /// Upstream sent something that is not the documented format. `what` is the sidecar's own wording: any
    /// upstream text in it must have been through `text` already.
    func malformed(_ what: String) -> ProviderFailure {
        ProviderFailure(.transient, "\(prefix): malformed response: \(what)")
    }

    /// The stream ended without its terminal event (connection closed early).
    func truncated(_ what: String) -> ProviderFailure {
        ProviderFailure(.transient, "\(prefix): stream ended before \(what)")
    }

    /// Any error thrown while sending or reading: transport errors are classified, `ProviderFailure`
    /// passes through, cancellation stays `CancellationError`.
    func map(_ error: any Error) -> any Error {
        switch error {
        case let failure as ProviderFailure:
            return failure
        case is CancellationError:
            return error
        case let transport as HTTPTransportError:
            switch transport {
            case .connectionFailed(let why):
                return ProviderFailure(.transient, "\(prefix): could not connect: \(text.message(why))")
            case .connectionLost(let why):
                return ProviderFailure(.transient, "\(prefix): connection lost: \(text.message(why))")
            case .malformedResponse(let why):
                return ProviderFailure(.transient, "\(prefix): malformed response: \(text.message(why))")
            case .timedOut(let which):
                return ProviderFailure(.timeout, "\(prefix): \(which) timeout")
            case .cancelled:
                return CancellationError()
            }
        case let sse as SSEParserError:
            switch sse {
            case .lineTooLong(let limit): return malformed("an event-stream line is longer than \(limit) bytes")
            case .eventTooLarge(let limit):
                return malformed("an event-stream event carries more than \(limit) bytes of data (max_response_bytes)")
            }
        case let tooLarge as HTTPBodyTooLarge:
            return malformed("the body is larger than \(tooLarge.limit) bytes (max_response_bytes)")
        default:
            return ProviderFailure(.transient, "\(prefix): \(text.message(String(describing: error)))")
        }
    }

    /// What an error body says: its error type, message and (OpenAI) the request parameter it is about.
    struct Detail: Equatable {
        var type: String?
        var message: String
        var param: String?
    }

    /// The detail of an error body: Anthropic `{"error": {"type", "message"}}`, OpenAI
    /// `{"error": {"message", "type", "param", "code"}}`, and the shapes compatible servers use
    /// (`{"error": "..."}`, `{"message": ...}`, `{"detail": ...}`); otherwise the body text itself.
    static func detail(of body: [UInt8]) -> Detail {
        if let json = try? JSONValue.parse(body) {
            if let error = json["error"], let fields = error.objectValue {
                return Detail(
                    type: fields["type"]?.stringValue ?? fields["code"]?.stringValue,
                    message: fields["message"]?.stringValue ?? "no message", param: fields["param"]?.stringValue)
            }
            if let message = json["error"]?.stringValue ?? json["message"]?.stringValue
                ?? json["detail"]?.stringValue
            {
                return Detail(type: nil, message: message, param: nil)
            }
        }
        let text = String(decoding: body.prefix(UpstreamText.maxMessageBytes + 1), as: UTF8.self)
        return Detail(type: nil, message: text.isEmpty ? "empty body" : text, param: nil)
    }
}
