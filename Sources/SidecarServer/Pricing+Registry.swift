import SidecarRegistry
import SidecarSpending

extension Pricing {
    /// The price of `candidate`'s model, nil when it has none.
    func price(of candidate: Candidate) -> Price? {
        price(provider: candidate.provider, model: candidate.model)
    }

    /// What the answer cost: `outcome.usage` at the price of the candidate it belongs to, as `done` reports it.
    func cost(of outcome: RegistryOutcome) -> Double? {
        outcome.candidate.flatMap { cost(provider: $0.provider, model: $0.model, usage: outcome.usage) }
    }

    /// What the whole request cost, each failed attempt's usage at its own candidate's price: what its ledger
    /// row and its budget take. Nil when any part is unknown, as an unknown cost is never counted as 0.
    func spentCost(of outcome: RegistryOutcome) -> Double? {
        var total = cost(of: outcome)
        for attempt in outcome.failedAttemptUsage {
            let part = cost(provider: attempt.candidate.provider, model: attempt.candidate.model, usage: attempt.usage)
            total = total.flatMap { sum in part.map { sum + $0 } }
        }
        return total
    }
}
