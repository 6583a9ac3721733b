/// The payload of an `error` frame, and the error type every layer uses for failures a client sees.
///
/// Equality compares the code only: tests assert codes, and message wording may improve freely.
/// Messages must never contain credentials; providers build them from redacted upstream text.
public struct SidecarError: Error, Sendable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var retryable: Bool
    /// True when chunks of the failed request already reached the client.
    public var partial: Bool
    /// Upstream's retry-after, when it gave one.
    public var retryAfterMs: Int?

    public init(
        _ code: ErrorCode, _ message: String, retryable: Bool? = nil, partial: Bool = false,
        retryAfterMs: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.retryable = retryable ?? code.isRetryableByDefault
        self.partial = partial
        self.retryAfterMs = retryAfterMs
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "code": .string(code.rawValue), "message": .string(message), "retryable": .bool(retryable),
        ]
        if partial { fields["partial"] = .bool(true) }
        if let retryAfterMs { fields["retry_after_ms"] = .number(Double(retryAfterMs)) }
        return .object(fields)
    }
}

extension SidecarError: Equatable {
    public static func == (a: SidecarError, b: SidecarError) -> Bool { a.code == b.code }
}
