/// Tokens and dollars held against an agent's budget while its request runs. Settle it exactly once
/// when the request ends (a second settle is ignored).
public struct Reservation: Sendable, Equatable {
    public let id: UInt64
    public let agent: String
    public let tokens: Int
    public let costUSD: Double?
}
