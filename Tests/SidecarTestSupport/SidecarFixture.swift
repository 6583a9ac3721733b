import Foundation
import SidecarCLI
import SidecarProtocol

/// A running sidecar (the real binary) with the `simulated` provider, a temporary socket and ledger.
public final class SidecarFixture: @unchecked Sendable {
    public let directory = TemporaryDirectory()
    public let sidecar: SidecarProcess
    public var socketPath: String { sidecar.socketPath }
    public var ledgerPath: String { directory.file("ledger.sqlite") }

    /// The simulated provider's models; the default agent may use all of them, `sim-echo` first.
    public static let models = [
        "sim-echo", "sim-fast", "sim-tools", "sim-pace-200", "sim-hang", "sim-fail-400", "sim-fail-500", "sim-abort-2",
    ]

    /// `listeners`, `providers` and `agents` replace the defaults (JSON text); `waitFor` is the socket to wait for when
    /// `listeners` is given: the last one, since listeners are bound in order and an earlier one accepts before
    /// the later ones exist; `extra` is spliced into the config object; `prepareLedger` runs with the ledger's
    /// path before the sidecar starts (to fill it); `descriptorLimit` caps the process's descriptors.
    public init(
        listeners: String? = nil, waitFor: String? = nil, providers: String? = nil, agents: String? = nil,
        limits: String = "{}", extra: String = "", environment: [String: String] = [:],
        descriptorLimit: Int? = nil, prepareLedger: (String) throws -> Void = { _ in }
    ) throws {
        let socket = waitFor ?? directory.file("sidecar.sock")
        try prepareLedger(directory.file("ledger.sqlite"))
        let config = """
            {
              "listen": \(listeners ?? "[{\"path\": \"\(socket)\"}]"),
              "ledger": {"path": "\(directory.file("ledger.sqlite"))"},
              "providers": \(providers ?? "[{\"name\": \"sim\", \"kind\": \"simulated\", \"models\": \(Self.models)}]"),
              "agents": \(agents ?? "{\"default\": {\"models\": \(Self.models.map { "sim/\($0)" })}}"),
              "limits": \(limits)\(extra.isEmpty ? "" : ",\n  \(extra)")
            }
            """
        let path = try directory.write("config.json", config)
        sidecar = try SidecarProcess(
            arguments: ["serve", "--config", path], socketPath: socket,
            environment: environment, descriptorLimit: descriptorLimit)
    }

    public func connect() throws -> SidecarClient { try sidecar.connect() }
}

extension SidecarClient {
    /// A `complete` request with one user message.
    public static func complete(
        _ id: String, _ prompt: String = "Hello there", model: String? = nil,
        agent: String? = nil, extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var fields: [String: JSONValue] = [
            "type": "complete", "id": .string(id), "messages": [["role": "user", "content": .string(prompt)]],
        ]
        if let model { fields["model"] = .string(model) }
        if let agent { fields["agent"] = .string(agent) }
        fields.merge(extra) { _, new in new }
        return .object(fields)
    }
}
