import SidecarProviders

extension ConfigParser {
    static let modelRuleKeys = ["drop", "refuse", "one_of", "max_completion_tokens"]

    /// `providers[].model_rules`: `{"<model or prefix*>": {drop, refuse, one_of, max_completion_tokens}}`,
    /// each problem at its path. `kind` is nil when the provider's kind is invalid (already reported).
    func parseModelRules(_ reader: ObjectReader?, kind: ProviderKind?) -> [ModelRule] {
        guard let reader else { return [] }
        var rules: [ModelRule] = []
        for (key, value) in reader.fields.sorted(by: { $0.key < $1.key }) {
            guard let pattern = ModelPattern(key) else {
                reader.fail(key, "expected a model name, or a model name prefix ending in \"*\"")
                continue
            }
            guard let rule = ObjectReader(value, path: reader.name(key), log: log) else { continue }
            rule.rejectUnknownKeys(known: Self.modelRuleKeys)
            let drop = parameters(rule, "drop")
            let refuse = parameters(rule, "refuse")
            let oneOf = parameters(rule, "one_of")
            for parameter in Set(drop).intersection(refuse).sorted() {
                rule.fail("refuse", "\(JSONPath.quoted(parameter.rawValue)) is also in drop")
            }
            if oneOf.count == 1 { rule.fail("one_of", "needs at least two parameters") }
            let maxCompletionTokens = rule.bool("max_completion_tokens")
            if maxCompletionTokens != nil, let kind, kind.name != OpenAIProvider.providerKind.name {
                rule.fail("max_completion_tokens", "only for openai providers")
            }
            rules.append(
                ModelRule(
                    pattern,
                    ParameterRule(
                        drop: Set(drop), refuse: Set(refuse), oneOf: oneOf,
                        maxCompletionTokens: maxCompletionTokens ?? false)))
        }
        return rules
    }

    /// An array of parameter names (`RuleParameter`), each unknown one reported at its index.
    private func parameters(_ reader: ObjectReader, _ key: String) -> [RuleParameter] {
        let names = RuleParameter.allCases.map(\.rawValue)
        return (reader.strings(key) ?? []).compactMap { item in
            guard let parameter = RuleParameter(rawValue: item.value) else {
                log.add(
                    JSONPath.index(reader.name(key), item.index),
                    "unknown parameter \(JSONPath.quoted(item.value)) (expected \(names.joined(separator: ", ")))"
                        + Suggestion.hint(for: item.value, in: names))
                return nil
            }
            return parameter
        }
    }
}
