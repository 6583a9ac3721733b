import SidecarLedger
import SidecarProtocol
import SidecarTransport

/// Answers a `usage` request from the ledger. The query runs on one of the ledger's reader threads
/// (`Ledger.read`), never on the cooperative pool: a query may scan hundreds of thousands of rows.
enum UsageHandler {
    static func answer(id: String, query: JSONValue, context: SidecarContext) async -> ServerMessage {
        let parsed: UsageQuery
        do {
            parsed = try UsageQuery(json: query)
        } catch {
            return .error(id: id, error)
        }
        do {
            return .usage(
                id: id,
                try await context.ledger.read { reader throws(LedgerError) in
                    try reader.usage(parsed).json
                })
        } catch {
            context.logger.error("usage.query_failed", ["id": id, "error": error.description])
            return .error(id: id, error.sidecarError)
        }
    }

    /// The refusal for a connection already at `UsageGate.perConnection` queries in flight.
    static func tooManyInFlight(id: String) -> ServerMessage {
        .error(
            id: id,
            SidecarError(
                .rateLimited,
                "this connection already has \(UsageGate.perConnection) usage queries in flight; "
                    + "wait for their replies before sending more"))
    }
}
