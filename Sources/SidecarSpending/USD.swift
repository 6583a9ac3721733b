/// Dollar amounts as text, for `usage` tables and budget errors.
public enum USD {
    /// Six decimals: a cheap request costs fractions of a cent.
    public static func format(_ amount: Double) -> String {
        let micro = Int((amount * 1_000_000).rounded())
        let whole = micro / 1_000_000
        let frac = String(micro % 1_000_000)
        return "\(whole)." + String(repeating: "0", count: 6 - frac.count) + frac
    }
}
