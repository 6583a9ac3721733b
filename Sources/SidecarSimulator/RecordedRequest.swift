import Foundation

/// One request the simulated upstream received, as it arrived on the wire.
public struct RecordedRequest: Sendable, Equatable {
    /// Sequence number, from 1, in arrival order.
    public let id: Int
    /// The TCP connection it arrived on (same value = the client reused a keep-alive connection).
    public let connectionID: Int
    public let method: String
    /// Request target as sent, query string included.
    public let path: String
    /// Headers with lowercased names; repeated headers joined with ", ".
    public let headers: [String: String]
    /// The body bytes exactly as received (chunked request bodies decoded).
    public let body: [UInt8]
    /// Which endpoint the path and headers select.
    public let endpoint: Endpoint
    /// The body's `model`, when it has one.
    public let model: String?
    /// What happened to the response so far.
    public internal(set) var outcome: Outcome

    /// True when the client closed the connection before the response was complete.
    public var clientDisconnected: Bool { outcome == .clientDisconnected }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, when it is one.
    public var bodyJSON: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// The endpoints the simulated upstream serves.
public enum Endpoint: String, Sendable, Equatable, CaseIterable {
    /// `POST /v1/messages` (Anthropic).
    case messages
    /// `POST /v1/chat/completions` or `POST /chat/completions` (OpenAI).
    case chatCompletions = "chat_completions"
    /// `GET /v1/models` or `GET /models`, in the Anthropic shape when the request carries `x-api-key`, else
    /// the OpenAI shape.
    case models
    /// Any other path (answered 404).
    case unknown
}

/// The fate of one response.
public enum Outcome: String, Sendable, Equatable {
    /// Still being answered (or hanging).
    case inProgress = "in_progress"
    /// The whole response was written.
    case completed
    /// The client closed the connection before the response was complete.
    case clientDisconnected = "client_disconnected"
    /// The simulator closed the connection on purpose (`abortAfter`).
    case aborted
}

extension RecordedRequest {
    /// The log entry as the JSON object `GET /_sim/requests` returns.
    var jsonText: String {
        let headerFields = headers.keys.sorted().map { "\($0.jsonQuoted):\((headers[$0] ?? "").jsonQuoted)" }
        return #"{"id":\#(id),"connection_id":\#(connectionID),"method":\#(method.jsonQuoted),"#
            + #""path":\#(path.jsonQuoted),"headers":{\#(headerFields.joined(separator: ","))},"#
            + #""body":\#(bodyText.jsonQuoted),"endpoint":\#(endpoint.rawValue.jsonQuoted),"#
            + #""model":\#(JSONText.quoteOrNull(model)),"outcome":\#(outcome.rawValue.jsonQuoted),"#
            + #""client_disconnected":\#(clientDisconnected)}"#
    }
}
