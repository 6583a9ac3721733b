import Foundation
import SidecarProtocol
import SidecarProviders
import SidecarRegistry
import Synchronization

/// A simulated provider named `name` with no pacing.
func simulated(_ name: String, models: [String] = []) -> SimulatedProvider {
    let settings = ProviderSettings(
        name: name, kind: "simulated", baseURL: URL(fileURLWithPath: "/"), apiKey: nil,
        models: models)
    return SimulatedProvider(settings: settings, deltaDelay: .zero)
}

func completion(
    _ text: String = "hello there", model: String? = nil, maxTokens: Int? = nil, stream: Bool = true,
    tools: [Tool] = []
) -> CompletionRequest {
    CompletionRequest(
        id: "r1", model: model, messages: [Message(role: .user, content: [.text(text)])],
        maxTokens: maxTokens, tools: tools, stream: stream)
}

/// Providers `primary` and `backup`, each listing `models`, with agents from `agents`.
func makeRegistry(
    primary: [String], backup: [String] = ["sim-1"], agents: [String: AgentPolicy]? = nil,
    maxRetries: Int = 2, breaker: BreakerSettings = BreakerSettings(), clock: ManualClock,
    aliases: [String: [String]] = [:]
) -> Registry {
    let routing = RoutingTable(
        providers: [
            ProviderRoute(name: "primary", models: primary, maxRetries: maxRetries),
            ProviderRoute(name: "backup", models: backup, maxRetries: maxRetries),
        ],
        agents: agents ?? [
            "default": AgentPolicy(models: primary.map { "primary/\($0)" } + backup.map { "backup/\($0)" })
        ],
        aliases: aliases)
    return Registry(
        providers: [simulated("primary"), simulated("backup")], routing: routing, breaker: breaker,
        clock: clock)
}

/// Collects emitted deltas.
final class DeltaLog: Sendable {
    private let deltas = Mutex<[Delta]>([])
    var all: [Delta] { deltas.withLock { $0 } }
    var text: String {
        all.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
    }
    @Sendable func append(_ delta: Delta) async { deltas.withLock { $0.append(delta) } }
}

extension Registry {
    /// Plans `request` and executes the plan, as the server does for a `complete` request.
    func complete(_ request: CompletionRequest, agent: String, emit: @Sendable (Delta) async -> Void)
        async throws -> RegistryOutcome
    {
        try await execute(plan(request, agent: agent), emit: emit)
    }
}

extension RegistryOutcome {
    var answer: Answer? { if case .answered(let answer) = ending { answer } else { nil } }
    var error: SidecarError? { if case .failed(let error, _) = ending { error } else { nil } }
}
