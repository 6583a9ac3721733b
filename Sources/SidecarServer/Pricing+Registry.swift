import SidecarRegistry
import SidecarSpending

extension Pricing {
    /// The price of `candidate`'s model, nil when it has none.
    func price(of candidate: Candidate) -> Price? {
        price(provider: candidate.provider, model: candidate.model)
    }

    /// What `outcome` cost: its usage at the price of the candidate it belongs to. The one place a request
    /// is priced; its `done`, its ledger row and its budget all take this value.
    func cost(of outcome: RegistryOutcome) -> Double? {
        outcome.candidate.flatMap { cost(provider: $0.provider, model: $0.model, usage: outcome.usage) }
    }
}
