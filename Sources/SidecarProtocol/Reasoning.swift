/// How much the model may think before answering (`complete.thinking`). Each provider kind maps it to its own
/// field (PROTOCOL.md, "Reasoning"; README, Providers).
public enum Thinking: Sendable, Equatable {
    /// Extended thinking with a token budget of at least `minimumBudget`.
    case enabled(budgetTokens: Int)
    /// The model decides whether and how much to think.
    case adaptive
    case disabled

    /// Anthropic's floor for `budget_tokens`, enforced here so the request fails before any upstream call.
    public static let minimumBudget = 1024

    public var budgetTokens: Int? {
        if case .enabled(let budget) = self { budget } else { nil }
    }

    /// The wire form, which is also the Anthropic `thinking` object.
    public var json: JSONValue {
        switch self {
        case .enabled(let budget): ["type": "enabled", "budget_tokens": JSONValue(budget)]
        case .adaptive: ["type": "adaptive"]
        case .disabled: ["type": "disabled"]
        }
    }
}

/// How hard the model should work on its answer (`complete.effort`). `minimal` is OpenAI's lowest level;
/// providers without it get `low`.
public enum Effort: String, Sendable, Equatable, CaseIterable {
    case minimal, low, medium, high
}

extension CompletionRequest {
    static func parseThinking(_ r: FieldReader) throws(SidecarError) -> Thinking? {
        guard let value = r.present("thinking") else { return nil }
        let t = try FieldReader(value, path: "thinking")
        switch try t.requiredString("type") {
        case "enabled":
            guard let budget = try t.int("budget_tokens", min: Thinking.minimumBudget) else {
                throw t.fail("budget_tokens", "missing")
            }
            return .enabled(budgetTokens: budget)
        case "adaptive": return .adaptive
        case "disabled": return .disabled
        case let other:
            throw t.fail("type", "expected \"enabled\", \"adaptive\" or \"disabled\", got \"\(other)\"")
        }
    }

    static func parseEffort(_ r: FieldReader) throws(SidecarError) -> Effort? {
        guard let name = try r.string("effort") else { return nil }
        guard let effort = Effort(rawValue: name) else {
            throw r.fail("effort", "expected \"minimal\", \"low\", \"medium\" or \"high\", got \"\(name)\"")
        }
        return effort
    }
}
