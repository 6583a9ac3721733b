import SidecarLedger
import SidecarProtocol

/// Answers a `usage` request from the ledger (off the connection queue: a query may scan many rows).
enum UsageHandler {
    static func answer(id: String, query: JSONValue, context: SidecarContext) async -> ServerMessage {
        do {
            let parsed = try UsageQuery(json: query)
            return .usage(id: id, try context.ledger.usage(parsed).json)
        } catch let error as SidecarError {
            return .error(id: id, error)
        } catch {
            context.logger.error("usage.query_failed", ["id": id, "error": "\(error)"])
            return .error(id: id, SidecarError(.internal, "the usage query failed; see the sidecar log"))
        }
    }
}
