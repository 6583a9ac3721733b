import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarSimulator
import Testing

@testable import SidecarProviders

/// Made-up keys in the vendors' formats (no real credential), long and with a lowercase run, so a fragment of
/// one can pose as a plain error `type` or `code`.
let leakyKeys: [Kind: String] = [
    .anthropic: "sk-ant-api03-k3y9leak7frag2midQW7ZX9LP2RT8VB4NM6KC1HY5JD3",
    .openai: "sk-proj-r4nd0mtail8x2leakQW7ZX9LP2RT8VB4NM6KC1HY5JD3FG0",
]

/// The first piece of `key`, at least `UpstreamText.minimumFragment` long, that `text` contains.
func keyFragment(in text: String, key: String) -> String? {
    let characters = Array(key)
    let size = UpstreamText.minimumFragment
    return (0...(characters.count - size)).lazy.map { String(characters[$0..<$0 + size]) }.first(where: text.contains)
}

/// Where an upstream puts (part of) the key: its error message, type or code.
struct Placement: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let fields: @Sendable (String) -> (message: String, type: String?, code: String?)

    static let all: [Placement] = [
        Placement(testDescription: "whole key in message") {
            ("Incorrect API key provided: \($0)", "invalid_request_error", nil)
        },
        Placement(testDescription: "whole key as type") { ("bad key", $0, "invalid_api_key") },
        Placement(testDescription: "whole key as code") { ("bad key", nil, $0) },
        Placement(testDescription: "24-character prefix in message") {
            ("key \(String($0.prefix(24)))... is invalid", "authentication_error", nil)
        },
        Placement(testDescription: "8-character inner fragment in message") {
            ("key ends in \(innerFragment($0))", "authentication_error", nil)
        },
        Placement(testDescription: "8-character inner fragment as type") { ("bad key", innerFragment($0), nil) },
        Placement(testDescription: "8-character inner fragment as code") { ("bad key", nil, innerFragment($0)) },
    ]

    /// Eight lowercase characters from the middle of the key: a plain name, so only redaction catches it.
    static func innerFragment(_ key: String) -> String {
        let run = key.dropFirst(key.hasPrefix("sk-ant") ? 17 : 12).prefix(8)
        return String(run)
    }
}

/// How the upstream reports the error.
enum Channel: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// A 401 with the vendor's JSON error body.
    case httpJSON
    /// A 500 with a plain-text body.
    case httpText
    /// A 200 event stream ending in an Anthropic `error` event or an OpenAI error chunk.
    case streamEvent
    /// A non-streaming 200 whose JSON is an error object.
    case jsonAnswer

    var testDescription: String { rawValue }
    var streaming: Bool { self == .streamEvent }

    func behaviour(_ kind: Kind, _ fields: (message: String, type: String?, code: String?)) -> Behaviour {
        let error = Self.errorObject(fields)
        switch self {
        case .httpJSON:
            let body = kind == .anthropic ? #"{"type":"error","error":\#(error)}"# : #"{"error":\#(error)}"#
            return .raw(status: 401, headers: ["content-type": "application/json"], body: body)
        case .httpText:
            let text = [fields.message, fields.type ?? "", fields.code ?? ""].joined(separator: " ")
            return .raw(status: 500, headers: ["content-type": "text/plain"], body: text)
        case .streamEvent:
            let body =
                kind == .anthropic
                ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n"
                    + "event: error\ndata: {\"type\":\"error\",\"error\":\(error)}\n\n"
                : "data: {\"error\":\(error)}\n\n"
            return .raw(status: 200, headers: ["content-type": "text/event-stream"], body: body)
        case .jsonAnswer:
            let body = kind == .anthropic ? #"{"type":"error","error":\#(error)}"# : #"{"error":\#(error)}"#
            return .raw(status: 200, headers: ["content-type": "application/json"], body: body)
        }
    }

    private static func errorObject(_ fields: (message: String, type: String?, code: String?)) -> String {
        var members = [#""message":"\#(fields.message)""#]
        if let type = fields.type { members.append(#""type":"\#(type)""#) }
        if let code = fields.code { members.append(#""code":"\#(code)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// Whatever an upstream does with the key, the failure a provider reports (which becomes the `error` frame,
/// the `status` report and the log lines) holds no piece of it of 8 or more characters.
@Suite struct KeyLeakTests {
    @Test(arguments: Kind.allCases, Channel.allCases)
    func noFragmentOfTheKeyReachesTheFailure(kind: Kind, channel: Channel) async throws {
        let key = try #require(leakyKeys[kind])
        let upstream = SimulatedUpstream(anthropicKey: key, openAIKey: key, pacingMilliseconds: 0)
        try upstream.start()
        defer { upstream.stop() }
        let base = kind == .anthropic ? upstream.baseURL : upstream.baseURL.appendingPathComponent("v1")
        let provider = try ProviderCatalog.make(
            ProviderSettings(name: "leaky", kind: kind.rawValue, baseURL: base, apiKey: Secret(key), models: []),
            transport: RoutingTransport())
        for placement in Placement.all {
            upstream.enqueue(channel.behaviour(kind, placement.fields(key)), for: [kind.endpoint])
            let error = await endingError(of: provider, stream: channel.streaming)
            let failure = try #require(error as? ProviderFailure, "\(placement.testDescription)")
            #expect(failure.message.hasPrefix("\(kind.rawValue) provider \"leaky\""))
            #expect(
                keyFragment(in: failure.message, key: key) == nil,
                "\(placement.testDescription): \(failure.message)")
        }
    }
}
