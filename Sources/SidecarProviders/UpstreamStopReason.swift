import SidecarProtocol

extension UpstreamText {
    /// An upstream stop reason kept under its own name, never mapped to another: a plain name passes
    /// (`name(_:)`), anything else becomes `unknown`.
    func stopReason(_ reason: String) -> StopReason { StopReason(rawValue: name(reason)) }
}

extension StopReason {
    /// `stop_sequence` with the sequence that matched, kept only when it is one the request asked for: then it
    /// is the client's own text echoed back, and nothing else an upstream says can travel in this field.
    static func stopSequence(matched: String?, requested: [String]) -> StopReason {
        StopReason(rawValue: stopSequence.rawValue, stopSequence: matched.flatMap { requested.contains($0) ? $0 : nil })
    }
}
