/// The protocol version this build speaks (`hello.protocol`).
public let protocolVersion = 1

/// A message a client sends to the sidecar, validated.
public enum ClientMessage: Sendable, Equatable {
    case hello(id: String?, protocol: Int, client: String?)
    case complete(CompletionRequest)
    /// Cancel the in-flight request `target`.
    case cancel(id: String?, target: String)
    case usage(id: String, query: JSONValue)
    case status(id: String)
    case ping(id: String)

    /// A message that could not be accepted: the error to send, with the request id when one was readable.
    public struct Rejection: Error, Sendable, Equatable {
        public var id: String?
        public var error: SidecarError
    }

    /// Decodes and validates one payload (a frame's body or one line).
    public static func parse<Bytes: Collection>(_ payload: Bytes) -> Result<ClientMessage, Rejection>
    where Bytes.Element == UInt8 {
        guard String(validating: payload, as: UTF8.self) != nil else {
            return .failure(Rejection(id: nil, error: SidecarError(.badRequest, "message is not valid UTF-8")))
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(payload)
        } catch {
            return .failure(Rejection(id: nil, error: SidecarError(.badRequest, "message is not valid JSON")))
        }
        guard case .object(let fields) = value else {
            return .failure(
                Rejection(
                    id: nil, error: SidecarError(.badRequest, "message must be a JSON object, got \(value.typeName)")))
        }
        // An empty id is no id: the error frame then carries null, never "".
        let id = fields["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        do throws(SidecarError) {
            return .success(try parse(value, fields: fields, id: id))
        } catch {
            return .failure(Rejection(id: id, error: error))
        }
    }

    private static func parse(_ value: JSONValue, fields: [String: JSONValue], id: String?) throws(SidecarError)
        -> ClientMessage
    {
        let r = try FieldReader(value, path: "")
        guard let type = try r.string("type") else { throw r.fail("type", "missing") }
        if let raw = fields["id"], raw != .null, raw.stringValue == nil {
            throw r.mismatch("id", expected: "string", got: raw)
        }
        func requireID() throws(SidecarError) -> String {
            guard let id else { throw r.fail("id", "missing (every request needs a string id)") }
            return id
        }
        switch type {
        case "hello":
            guard let version = try r.int("protocol") else { throw r.fail("protocol", "missing") }
            guard version == protocolVersion else {
                throw r.fail("protocol", "unsupported version \(version) (this sidecar speaks \(protocolVersion))")
            }
            return .hello(id: id, protocol: version, client: try r.string("client"))
        case "complete":
            return .complete(try CompletionRequest(parsing: value, id: try requireID()))
        case "cancel":
            return .cancel(id: id, target: try requireID())
        case "usage":
            return .usage(id: try requireID(), query: value)
        case "status":
            return .status(id: try requireID())
        case "ping":
            return .ping(id: try requireID())
        default:
            throw SidecarError(.unknownType, "unknown message type \"\(type)\"")
        }
    }
}
